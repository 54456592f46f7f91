// Whether the event log reads in plain sentences or as C calls: the user's choice, remembered in
// localStorage across visits (a teacher sets it once). Unavailable storage just forgets.
import { useCallback, useState } from 'react';

const KEY = 'tdi-flow-lab:log-form';

function read(): boolean {
  try {
    return localStorage.getItem(KEY) === 'plain';
  } catch {
    return false;
  }
}

export function useLogPlain(): [boolean, (plain: boolean) => void] {
  const [plain, setState] = useState(read);
  const set = useCallback((p: boolean) => {
    setState(p);
    try {
      localStorage.setItem(KEY, p ? 'plain' : 'calls');
    } catch {
      // private mode, storage full: the choice holds for this visit
    }
  }, []);
  return [plain, set];
}
