/** The web app's view of CloudTrail-derived data (shared by server loaders and client components). */

export interface DataStatus {
  events: number;
  principals: number;
  first: number | null;
  last: number | null;
  source: string;
}

export interface PrincipalSummary {
  key: string;
  name: string;
  type: string;
  events: number;
  errors: number;
  first: number | null;
  last: number | null;
  maxScore: number | null;
  anomalies: number | null;
}

export interface ActionCount {
  action: string;
  count: number;
}

export interface Transition {
  from: string;
  to: string;
  count: number;
}

export interface Prediction {
  action: string;
  p: number;
}

export interface ActivityWindow {
  /** Epoch ms of the expected next active period. */
  start: number;
  end: number;
  p: number;
}

export interface Forecast {
  principal: string;
  name: string;
  after: number;
  predictions: Prediction[];
  otherProbability: number;
  /** The recent actions the prediction conditions on, oldest first. */
  context: string[];
  windows: ActivityWindow[];
  medianGapMs: number | null;
}

export interface PrincipalProfile extends PrincipalSummary {
  accountId: string | null;
  roleArn: string | null;
  topActionCounts: ActionCount[];
  topServices: ActionCount[];
  errorCodes: ActionCount[];
  /** Events per UTC hour of day (0-23) and per UTC weekday (0 = Monday). */
  activeHoursUtc: number[];
  activeWeekdaysUtc: number[];
  regions: string[];
  sourceIps: string[];
  userAgents: string[];
  peerGroup: string | null;
}

export interface Reason {
  kind: string;
  detail: string;
  bits: number;
}

export interface Anomaly {
  eventId: string;
  time: number;
  principal: string;
  principalName: string;
  action: string;
  score: number;
  reasons: Reason[];
  tactic: string | null;
  technique: string | null;
  errorCode: string | null;
}

export interface EventRow {
  eventId: string;
  time: number;
  action: string;
  principal: string;
  principalName: string;
  region: string;
  sourceIp: string;
  userAgent: string;
  readOnly: boolean | null;
  errorCode: string | null;
}

export interface EventDetail {
  event: EventRow;
  raw: string;
  rawTruncated: boolean;
  score: number | null;
  reasons: Reason[];
  tactic: string | null;
  technique: string | null;
  neighbours: EventRow[];
}
