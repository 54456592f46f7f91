// A connection's state bits in frames and snapshots (Frame.connState): what the views colour by.
// Their own module: the page draws with them without loading the engine.
export const CONN_DEBT = 1;
export const CONN_BROKEN = 2;
export const CONN_WAITING = 4;
export const CONN_PENDING = 8;
