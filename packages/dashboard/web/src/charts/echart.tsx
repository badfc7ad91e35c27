import { useEffect, useRef } from "react";
import { echarts, type EChartsOption } from "./echarts-setup.js";

export interface EChartProps {
  option: EChartsOption;
  height: number;
  /** Called once the chart has drawn this option (ECharts' `finished` event). */
  onDrawn?: () => void;
  /** Called with the data item and series name of a clicked point (e.g. to open a trial). */
  onItemClick?: (item: { data: unknown; seriesName: string | undefined }) => void;
  label: string;
}

/**
 * One ECharts canvas. ECharts owns the drawing; this only ties its life to the component, replaces the
 * option when it changes, follows the container's size and reports when a drawing is finished.
 */
export function EChart({ option, height, onDrawn, onItemClick, label }: EChartProps) {
  const container = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const drawn = useRef(onDrawn);
  const clicked = useRef(onItemClick);
  drawn.current = onDrawn;
  clicked.current = onItemClick;

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const instance = echarts.init(element, null, { renderer: "canvas" });
    chart.current = instance;
    instance.on("click", (params) => {
      const { data, seriesName } = params as { data?: unknown; seriesName?: string };
      clicked.current?.({ data, seriesName });
    });
    // ResizeObserver reports the initial size too: redraw only when the size really changed.
    let size = `${element.clientWidth}x${element.clientHeight}`;
    const observer = new ResizeObserver(() => {
      const next = `${element.clientWidth}x${element.clientHeight}`;
      if (next === size) return;
      size = next;
      instance.resize();
    });
    observer.observe(element);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    const instance = chart.current;
    if (!instance) return;
    const finished = () => {
      instance.off("finished", finished);
      drawn.current?.();
    };
    instance.on("finished", finished);
    instance.setOption(option, { notMerge: true });
    return () => {
      instance.off("finished", finished);
    };
  }, [option]);

  return <div ref={container} className="echart" role="img" aria-label={label} style={{ height }} />;
}
