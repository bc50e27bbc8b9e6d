// RFC 7807 problem details with the EPCIS exception types (EPCIS.md §1.7). Every error response
// of the service goes through here, so status codes and types stay consistent.
import type { FastifyReply } from 'fastify';

export type EpcisException =
  | 'ValidationException'
  | 'QueryValidationException'
  | 'QueryParameterException'
  | 'SubscriptionControlsException'
  | 'SecurityException'
  | 'NoSuchNameException'
  | 'NoSuchResourceException'
  | 'MethodNotAllowedException'
  | 'NotAcceptableException'
  | 'RequestTimeoutException'
  | 'ResourceAlreadyExistsException'
  | 'CaptureLimitExceededException'
  | 'QueryTooLargeException'
  | 'QueryTooComplexException'
  | 'URITooLongException'
  | 'UnsupportedMediaTypeException'
  | 'HeadersTooLargeException'
  | 'ImplementationException'
  | 'ServiceUnavailableException';

const STATUS: Record<EpcisException, number> = {
  ValidationException: 400,
  QueryValidationException: 400,
  QueryParameterException: 400,
  SubscriptionControlsException: 400,
  SecurityException: 401,
  NoSuchNameException: 404,
  NoSuchResourceException: 404,
  // Not an EPCIS exception: the standard names none for a method a resource does not support.
  MethodNotAllowedException: 405,
  NotAcceptableException: 406,
  // Not EPCIS exceptions either: a client too slow to send its request, or whose headers are too
  // large to read at all. Both are refused before any EPCIS resource is involved.
  RequestTimeoutException: 408,
  ResourceAlreadyExistsException: 409,
  CaptureLimitExceededException: 413,
  QueryTooLargeException: 413,
  QueryTooComplexException: 413,
  URITooLongException: 414,
  UnsupportedMediaTypeException: 415,
  HeadersTooLargeException: 431,
  ImplementationException: 500,
  ServiceUnavailableException: 503,
};

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  408: 'Request Timeout',
  409: 'Conflict',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  [extension: string]: unknown;
}

export function problem(
  exception: EpcisException,
  detail: string,
  extensions: Record<string, unknown> = {},
): Problem {
  const status = STATUS[exception];
  return {
    type: `epcisException:${exception}`,
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    ...extensions,
  };
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export function sendProblem(reply: FastifyReply, body: Problem, status = body.status): FastifyReply {
  return reply.code(status).type(PROBLEM_CONTENT_TYPE).send(body);
}
