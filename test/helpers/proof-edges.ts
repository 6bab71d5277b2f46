import { Action } from '../../src/core/flow/record';
import type { PolicyEdge } from '../../src/core/policy/policy-input';

// What the export proofs try besides the observed edges: edges the policy
// never saw, built the same way in every proof so that each target is held
// to the same questions.

/** An internal address in no group and no pod. */
export const UNSEEN_INTERNAL = '10.254.254.254';
/** An outside address in no network the policy names (TEST-NET-3). */
export const UNSEEN_OUTSIDE = '203.0.113.99';
/** A port no service of the demo or the topologies uses. */
export const UNUSED_PORT = 31337;
/** A Monday at noon UTC (hour of the week): when an unseen edge is tried against windowed rules. */
export const MONDAY_NOON = 24 + 12;

/** One flow, allowed today, on Monday at noon: an edge the policy never saw, to ask the simulator and the target about. */
export function unseenEdge(client: string, server: string, proto: number, port: number): PolicyEdge {
  return { client, server, proto, port, action: Action.allow, flows: 1, bytes: 0, firstMs: null, lastMs: null, hours: 1, weekHours: [MONDAY_NOON], weekFlows: [1] };
}

export const edgeKey = (edge: Pick<PolicyEdge, 'client' | 'server' | 'proto' | 'port'>): string => `${edge.client}|${edge.server}|${edge.proto}|${edge.port}`;
