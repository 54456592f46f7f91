import { createContext, useContext } from 'react';
import type { SimClient } from './simClient.ts';

export const SimContext = createContext<SimClient | null>(null);
export function useSimContext(): SimClient | null {
  return useContext(SimContext);
}
