// Response shapes of the tracking API, the SSE feed and GET /events, as the console reads them.

export interface ProblemBody {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
}

export interface EpcState {
  epc: string;
  asOf: string | null;
  bizLocation: string | null;
  readPoint: string | null;
  disposition: string | null;
  lastEvent: { eventID: string; eventTime: string; bizStep: string | null } | null;
  parent: { epc: string; since: string; bizLocation: string | null; readPoint: string | null } | null;
  location: {
    bizLocation: string | null;
    readPoint: string | null;
    source: 'self' | 'container';
    via: string | null;
  };
  associatedWith: string | null;
  childCount: number;
  decommissioned: boolean;
  commissionedBy: string | null;
  decommissionedBy: string | null;
  transformed: { consumedBy: string | null; producedBy: string | null };
}

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

export type TraceDirection = 'backward' | 'forward';

export interface TraceNode {
  epc: string;
  depth: number;
  relation: 'input' | 'output' | 'container' | 'content' | 'association';
  via: string;
  from: string;
  state: {
    bizLocation: string | null;
    readPoint: string | null;
    disposition: string | null;
    decommissioned: boolean;
  } | null;
}

export interface Trace {
  origin: string;
  direction: TraceDirection;
  depth: number;
  total: number;
  truncated: boolean;
  truncation: { reason: string; limit: number } | null;
  summaryByLocation: { bizLocation: string | null; count: number }[];
  nodes: TraceNode[];
}

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
