// The speed ladder of the Speed menu and the +/− keys (simulated time per real time).
export const SPEEDS = [0.0001, 0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.1, 1, 10, 100, 1000] as const;
export const DEFAULT_SPEED = 0.0005;
