// What an event looks like on its way through postMessage. A scenario travels as JSON text: a
// structured clone of 100,000 connections (some 400,000 small objects) costs the worker and the
// page 2–4× what JSON.stringify and JSON.parse of the same 16 MB do (issue 18), and a scenario is
// JSON data (validated from JSON), so nothing is lost. The worker entry encodes, SimClient decodes;
// the session and everything that reads events see Event.
import type { Event } from './messages.ts';

type WithScenario = Extract<Event, { scenario: unknown }>;
/** An event as posted: one carrying a scenario has its JSON text instead (an Event as it is, from a test's fake worker, reads too). */
export type WireEvent = Event | (Omit<WithScenario, 'scenario'> & { scenarioJson: string });

export function encodeEvent(e: Event): WireEvent {
  if (!('scenario' in e)) return e;
  const { scenario, ...rest } = e;
  return { ...rest, scenarioJson: JSON.stringify(scenario) } as WireEvent;
}

export function decodeEvent(m: WireEvent): Event {
  if (!('scenarioJson' in m)) return m;
  const { scenarioJson, ...rest } = m;
  return { ...rest, scenario: JSON.parse(scenarioJson) } as Event;
}
