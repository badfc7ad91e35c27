import { createContext, useContext, useEffect } from "react";

/** `ready` true: the view has drawn its data; false: still loading or drawing; null: not on the page. */
export type ReadyReport = (view: string, ready: boolean | null) => void;

export const ReadyContext = createContext<ReadyReport>(() => undefined);

/**
 * Each view of the study page reports whether it has drawn its data; the page sets `data-ready="true"` on
 * its <main> once every view that is shown has (tests and the benchmark wait for that marker).
 */
export function useReadyReport(view: string, ready: boolean | null): void {
  const report = useContext(ReadyContext);
  useEffect(() => {
    report(view, ready);
  }, [report, view, ready]);
  useEffect(() => () => report(view, null), [report, view]);
}
