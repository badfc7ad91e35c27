import {
  pageOf,
  trialCountReplySchema,
  trialReplySchema,
  trialStates,
  type Space,
  type TrialReply,
} from "@hpo/contracts";
import {
  flexRender,
  getCoreRowModel,
  useReactTable,
  type ColumnDef,
  type SortingState,
} from "@tanstack/react-table";
import { useVirtualizer } from "@tanstack/react-virtual";
import { useEffect, useMemo, useRef, useState } from "react";
import { useLocation } from "wouter";
import { formatCount, formatDuration, formatNumber, formatParam, formatTime } from "../../format.js";
import { useReadyReport } from "../../ready.js";
import { useSession } from "../../session.js";
import { Panel, StateBadge } from "../../widgets.js";
import { hasFilters, noFilters, trialQuery, type FieldFilter, type TrialFilters } from "../trial-query.js";
import { FilterBar } from "./trial-filter-bar.js";

const trialPage = pageOf(trialReplySchema);
const pageSize = 200;
const rowHeight = 34;

export interface LiveTrials {
  version: number;
  trials: TrialReply[];
}

/** The sort key of the API for a column id (columns without one are not sortable). */
function sortKeyOf(columnId: string): string | null {
  if (columnId === "number" || columnId === "value" || columnId === "duration") return columnId;
  if (columnId.startsWith("param:")) return `param.${columnId.slice(6)}`;
  if (columnId.startsWith("metric:")) return `metric.${columnId.slice(7)}`;
  return null;
}

function sortOf(sorting: SortingState): string {
  const first = sorting[0];
  const key = first ? sortKeyOf(first.id) : null;
  if (!first || !key) return "-number";
  return first.desc ? `-${key}` : key;
}

function columnsOf(space: Space, metrics: readonly string[]): ColumnDef<TrialReply>[] {
  return [
    { id: "number", header: "#", size: 70, cell: ({ row }) => row.original.number },
    {
      id: "state",
      header: "State",
      size: 118,
      enableSorting: false,
      cell: ({ row }) => <StateBadge state={row.original.state} />,
    },
    { id: "value", header: "Value", size: 100, cell: ({ row }) => formatNumber(row.original.value) },
    ...space.map((spec): ColumnDef<TrialReply> => ({
      id: `param:${spec.name}`,
      header: spec.name,
      size: Math.max(110, spec.name.length * 8 + 36),
      cell: ({ row }) => formatParam(row.original.params[spec.name]),
    })),
    ...metrics.map((name): ColumnDef<TrialReply> => ({
      id: `metric:${name}`,
      header: name,
      size: Math.max(110, name.length * 8 + 36),
      cell: ({ row }) => formatNumber(row.original.metrics?.[name]),
    })),
    {
      id: "duration",
      header: "Duration",
      size: 96,
      cell: ({ row }) => formatDuration(row.original.durationMs),
    },
    {
      id: "finished",
      header: "Finished",
      size: 150,
      enableSorting: false,
      cell: ({ row }) => formatTime(row.original.finishedAt),
    },
  ];
}

/**
 * Every trial of the study: sorted and filtered by the server on any column (state, value, any param, any
 * metric), fetched page by page as the virtualized body scrolls, and exported to CSV with the same query.
 */
export function TrialTable({
  studyId,
  studyName,
  space,
  metrics,
  live,
}: {
  studyId: string;
  studyName: string;
  space: Space;
  metrics: readonly string[];
  live: LiveTrials;
}) {
  const { client } = useSession();
  const [, navigate] = useLocation();
  const [sorting, setSorting] = useState<SortingState>([{ id: "number", desc: true }]);
  const [filters, setFilters] = useState<TrialFilters>(noFilters);
  const [rows, setRows] = useState<TrialReply[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [count, setCount] = useState<number | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [pendingChanges, setPendingChanges] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [reloadTick, setReloadTick] = useState(0);
  const scroller = useRef<HTMLDivElement>(null);
  const sort = sortOf(sorting);
  const query = useMemo(() => trialQuery(filters, sort).toString(), [filters, sort]);
  useReadyReport("table", rows !== null);

  useEffect(() => {
    const controller = new AbortController();
    const base = `/v1/studies/${studyId}/trials`;
    Promise.all([
      client.get(`${base}?${query}${query ? "&" : ""}limit=${pageSize}`, trialPage, controller.signal),
      client.get(`${base}/count?${query}`, trialCountReplySchema, controller.signal),
    ])
      .then(([page, counted]) => {
        setRows(page.items);
        setCursor(page.nextCursor);
        setCount(counted.count);
        setPendingChanges(0);
        setError(null);
        scroller.current?.scrollTo({ top: 0 });
      })
      .catch((caught: unknown) => {
        if (!controller.signal.aborted) setError(caught instanceof Error ? caught.message : String(caught));
      });
    return () => controller.abort();
  }, [client, studyId, query, reloadTick]);

  // Live: changed trials are patched in place; new ones join the top of the default (newest first) view,
  // or are counted in a notice when another sort or a filter decides where they belong.
  const appliedVersion = useRef(live.version);
  useEffect(() => {
    if (live.version === appliedVersion.current || rows === null) return;
    appliedVersion.current = live.version;
    const byNumber = new Map(live.trials.map((trial) => [trial.number, trial]));
    const patched = rows.map((row) => byNumber.get(row.number) ?? row);
    const newest = rows[0]?.number ?? -1;
    const fresh = live.trials.filter((trial) => trial.number > newest).sort((a, b) => b.number - a.number);
    if (fresh.length > 0 && sort === "-number" && !hasFilters(filters)) {
      setRows([...fresh, ...patched]);
      setCount((value) => (value === null ? value : value + fresh.length));
      return;
    }
    setRows(patched);
    if (fresh.length > 0) setPendingChanges((value) => value + fresh.length);
  }, [live, rows, sort, filters]);

  const columns = useMemo(() => columnsOf(space, metrics), [space, metrics]);
  const table = useReactTable({
    data: rows ?? [],
    columns,
    state: { sorting },
    onSortingChange: setSorting,
    manualSorting: true,
    enableMultiSort: false,
    sortDescFirst: false,
    getCoreRowModel: getCoreRowModel(),
    getRowId: (row) => String(row.number),
  });
  const tableRows = table.getRowModel().rows;
  const virtualizer = useVirtualizer({
    count: tableRows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => rowHeight,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.at(-1)?.index ?? 0;

  useEffect(() => {
    if (!cursor || loadingMore || rows === null || lastIndex < rows.length - 40) return;
    setLoadingMore(true);
    const base = `/v1/studies/${studyId}/trials`;
    client
      .get(
        `${base}?${query}${query ? "&" : ""}limit=${pageSize}&cursor=${encodeURIComponent(cursor)}`,
        trialPage,
      )
      .then((page) => {
        setRows((current) => [...(current ?? []), ...page.items]);
        setCursor(page.nextCursor);
      })
      .catch((caught: unknown) => setError(caught instanceof Error ? caught.message : String(caught)))
      .finally(() => setLoadingMore(false));
  }, [client, studyId, query, cursor, loadingMore, rows, lastIndex]);

  const download = () => {
    void client
      .download(
        `/v1/studies/${studyId}/trials?${query}${query ? "&" : ""}format=csv`,
        `${studyName}-trials.csv`,
      )
      .catch((caught: unknown) => setError(caught instanceof Error ? caught.message : String(caught)));
  };
  const paddingTop = items[0]?.start ?? 0;
  const paddingBottom = virtualizer.getTotalSize() - (items.at(-1)?.end ?? 0);
  const width = table.getTotalSize();

  return (
    <Panel
      wide
      testId="trial-table"
      title="Trials"
      hint={
        count === null
          ? "Loading…"
          : `${formatCount(count)} trial${count === 1 ? "" : "s"} match${count === 1 ? "es" : ""}; sorted and filtered on the server. Click a header to sort, a row to open the trial.`
      }
      actions={
        <button type="button" className="button" onClick={download} data-testid="download-csv">
          Download CSV
        </button>
      }
    >
      <FilterBar
        space={space}
        metrics={metrics}
        filters={filters}
        onChange={setFilters}
        onAddField={(field: FieldFilter) =>
          setFilters((current) => ({ ...current, fields: [...current.fields, field] }))
        }
        states={trialStates}
      />
      {pendingChanges > 0 ? (
        <button type="button" className="notice" onClick={() => setReloadTick((value) => value + 1)}>
          {pendingChanges} new trial{pendingChanges === 1 ? "" : "s"} since this view was loaded · refresh
        </button>
      ) : null}
      {error ? <div className="alert">{error}</div> : null}
      <div className="table-scroll" ref={scroller}>
        <table className="table grid-table" style={{ width }}>
          <thead>
            {table.getHeaderGroups().map((group) => (
              <tr key={group.id}>
                {group.headers.map((header) => {
                  const sortable = header.column.getCanSort() && sortKeyOf(header.column.id) !== null;
                  const direction = header.column.getIsSorted();
                  return (
                    <th
                      key={header.id}
                      style={{ width: header.getSize() }}
                      aria-sort={
                        direction === "asc" ? "ascending" : direction === "desc" ? "descending" : "none"
                      }
                    >
                      {sortable ? (
                        <button
                          type="button"
                          className="sort-button"
                          onClick={header.column.getToggleSortingHandler()}
                        >
                          {flexRender(header.column.columnDef.header, header.getContext())}
                          <span className="sort-mark">
                            {direction === "asc" ? "▲" : direction === "desc" ? "▼" : ""}
                          </span>
                        </button>
                      ) : (
                        flexRender(header.column.columnDef.header, header.getContext())
                      )}
                    </th>
                  );
                })}
              </tr>
            ))}
          </thead>
          <tbody>
            {paddingTop > 0 ? (
              <tr className="spacer" aria-hidden="true">
                <td colSpan={columns.length} style={{ height: paddingTop }} />
              </tr>
            ) : null}
            {items.map((item) => {
              const row = tableRows[item.index];
              if (!row) return null;
              return (
                <tr
                  key={row.id}
                  className="clickable"
                  data-trial={row.original.number}
                  onClick={() => navigate(`/studies/${studyId}/trials/${row.original.number}`)}
                >
                  {row.getVisibleCells().map((cell) => (
                    <td
                      key={cell.id}
                      className={cell.column.id === "state" || cell.column.id === "finished" ? "" : "num"}
                    >
                      {flexRender(cell.column.columnDef.cell, cell.getContext())}
                    </td>
                  ))}
                </tr>
              );
            })}
            {paddingBottom > 0 ? (
              <tr className="spacer" aria-hidden="true">
                <td colSpan={columns.length} style={{ height: paddingBottom }} />
              </tr>
            ) : null}
            {rows !== null && rows.length === 0 ? (
              <tr>
                <td colSpan={columns.length} className="empty">
                  No trial matches.
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
      {loadingMore ? <div className="muted small center">Loading more trials…</div> : null}
    </Panel>
  );
}
