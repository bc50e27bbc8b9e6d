// Response shapes of the tracking API, the SSE feed and GET /events, as the console reads them.

export interface ProblemBody {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
}

// The host's own declaration of the state answer; a type-only import, so esbuild drops it.
export type { StateView as EpcState } from '../../host/tracking/state-view.js';
/** `inTransit` of the state answer and of each trace node's state. */
export type { TransitView } from '../../host/core/types.js';

export interface ContentsNode {
  epc: string;
  childCount: number;
  children: ContentsNode[];
}

export interface Contents {
  container: string;
  depth: number;
  total: number;
  truncated: boolean;
  children: ContentsNode[];
}

// The host's declarations of the trace answer (type-only imports, dropped by esbuild).
export type { Direction as TraceDirection } from '../../host/tracking/genealogy-edges.js';
export type { TracedNode as TraceNode } from '../../host/tracking/trace-service.js';
export type { TracePage as Trace } from '../../host/tracking/trace-view.js';

export interface SensorReport {
  type?: string;
  value?: number;
  minValue?: number;
  maxValue?: number;
  meanValue?: number;
  uom?: string;
  time?: string;
}

export interface SensorElement {
  sensorMetadata?: { time?: string; startTime?: string; endTime?: string; deviceID?: string };
  sensorReport?: SensorReport[];
}

/** An EPCIS event as GET /events renders it; only the fields the console shows are typed. */
export interface EpcisEvent {
  eventID?: string;
  type?: string;
  action?: string;
  eventTime?: string;
  bizStep?: string;
  disposition?: string;
  readPoint?: { id?: string };
  bizLocation?: { id?: string };
  epcList?: string[];
  childEPCs?: string[];
  parentID?: string;
  inputEPCList?: string[];
  outputEPCList?: string[];
  quantityList?: { epcClass?: string }[];
  sensorElementList?: SensorElement[];
}

export interface EventQueryDocument {
  epcisBody?: { queryResults?: { resultsBody?: { eventList?: EpcisEvent[] } } };
}
