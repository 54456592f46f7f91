// Which log rows a filter keeps: record types, a client, a connection, a status. One predicate for
// the page's log (the rows it holds) and the worker's search of the whole run (#10: a filter
// reaches back past what the page holds).
import type { Topology } from '../model/topology.ts';
import { STATUS_NAMES } from '../base/status.ts';
import { clientOfRecord, connectionOfRecord, statusOfRecord } from './recordTable.ts';
import { R } from './records.ts';

export interface RowFilter {
  /** Record types kept (R codes); empty: every type. */
  types: readonly number[];
  /** Client index, or -1 for any. */
  client: number;
  /** Connection index, or -1 for any. */
  connection: number;
  /** '' any status, 'error' any failure, or a status name (STATUS_DEVICE_NOT_READY). */
  status: string;
}

export function isFiltering(f: RowFilter): boolean {
  return f.types.length > 0 || f.client >= 0 || f.connection >= 0 || f.status !== '';
}

/** Whether a row's record (its type and columns a, b, f) passes the filter. */
export function rowPasses(f: RowFilter, topo: Topology, type: number, a: number, b: number, flags: number): boolean {
  if (f.types.length > 0 && !f.types.includes(type)) return false;
  if (f.connection >= 0 && connectionOfRecord(type, a) !== f.connection) return false;
  if (f.client >= 0 && clientOfRecord(type, a, topo) !== f.client) return false;
  if (f.status !== '') {
    const status = statusOfRecord(type, { b, f: flags });
    if (status === null) return false;
    if (f.status === 'error' ? status === 0 : STATUS_NAMES[status] !== f.status) return false;
  }
  return true;
}

/**
 * A filter from outside (a worker command): null if it is one, else what is wrong with it, named
 * by field. Indexes are checked against the topology.
 */
export function rowFilterProblem(raw: unknown, topo: Topology): string | null {
  if (typeof raw !== 'object' || raw === null) return 'filter: must be an object';
  const f = raw as Partial<Record<keyof RowFilter, unknown>>;
  const types = new Set<number>(Object.values(R));
  if (!Array.isArray(f.types) || !f.types.every((t) => types.has(t as number))) return 'filter.types: must be a list of record type codes';
  if (!Number.isInteger(f.client) || (f.client as number) < -1 || (f.client as number) >= topo.clientIds.length) {
    return `filter.client: must be -1 or a client index below ${topo.clientIds.length}`;
  }
  if (!Number.isInteger(f.connection) || (f.connection as number) < -1 || (f.connection as number) >= topo.connectionIds.length) {
    return `filter.connection: must be -1 or a connection index below ${topo.connectionIds.length}`;
  }
  if (typeof f.status !== 'string' || !(f.status === '' || f.status === 'error' || (STATUS_NAMES as readonly string[]).includes(f.status))) {
    return 'filter.status: must be "", "error" or a status name';
  }
  return null;
}
