import { sumMetric } from './prometheus-text.js';
import type { OrderTimeline } from './timeline.js';

/** One point of the charts. Every figure is null when its source did not answer or has no such metric. */
export interface ChartSample {
  at: string;
  /** Messages processed per second by each service's consumers (`sqs_consumer_messages_processed_total`). */
  processedPerSecond: Record<string, number | null>;
  /** Mean time messages waited in their queue before processing, in ms (`sqs_consumer_message_age_seconds`). */
  meanMessageAgeMs: number | null;
  /** Listed orders seen settled (dispatched or cancelled) for the first time at this point. */
  ordersSettled: number;
  /** Their mean time from placed to settled, in ms. */
  meanEndToEndMs: number | null;
}

export interface ChartSources {
  /** The services whose `/metrics` are read, by name. */
  services: Record<string, string>;
  /** The latest orders' timelines (the Orders page's list). */
  timelines(): Promise<OrderTimeline[]>;
  /** Default `Date.now`. */
  now?: () => number;
  /** Default `fetch`. */
  fetchText?: (url: string) => Promise<string | undefined>;
}

/** How many points the charts keep: ten minutes at the default 5 s. */
export const CHART_POINTS = 120;

interface Counters {
  processed: number | undefined;
  ageSum: number | undefined;
  ageCount: number | undefined;
}

/**
 * Samples the services' metrics and the latest orders every few seconds into a ring of {@link CHART_POINTS}
 * points. Works without metrics (the services may not serve them yet): the order figures remain.
 */
export class ChartSampler {
  private readonly points: ChartSample[] = [];
  private previous: { at: number; counters: Map<string, Counters> } | undefined;
  /** Orders already counted as settled; an order no longer listed is forgotten. */
  private readonly counted = new Set<string>();
  private readonly now: () => number;
  private readonly fetchText: (url: string) => Promise<string | undefined>;

  constructor(private readonly sources: ChartSources) {
    this.now = sources.now ?? Date.now;
    this.fetchText = sources.fetchText ?? fetchMetricsText;
  }

  samples(): ChartSample[] {
    return [...this.points];
  }

  /** Takes one point (the first call only sets the baseline of the counters). */
  async sample(): Promise<ChartSample | undefined> {
    const at = this.now();
    const counters = new Map<string, Counters>();
    await Promise.all(
      Object.entries(this.sources.services).map(async ([name, url]) => {
        const text = await this.fetchText(`${url}/metrics`);
        counters.set(name, {
          processed: text === undefined ? undefined : sumMetric(text, 'sqs_consumer_messages_processed_total'),
          ageSum: text === undefined ? undefined : sumMetric(text, 'sqs_consumer_message_age_seconds_sum'),
          ageCount: text === undefined ? undefined : sumMetric(text, 'sqs_consumer_message_age_seconds_count'),
        });
      }),
    );
    const timelines = await this.sources.timelines().catch(() => undefined);
    if (timelines) {
      const listed = new Set(timelines.map((timeline) => timeline.id));
      for (const id of this.counted) if (!listed.has(id)) this.counted.delete(id);
    }
    // Each order counts once, at the first point that sees it settled (the order service learns of a dispatch
    // a little after it happened, so a window on the event's own time would miss some).
    const settled = (timelines ?? []).filter(
      (timeline) => timeline.settledAt !== null && !this.counted.has(timeline.id),
    );
    for (const timeline of settled) this.counted.add(timeline.id);
    const previous = this.previous;
    this.previous = { at, counters };
    if (!previous) return undefined;

    const seconds = (at - previous.at) / 1000;
    const processedPerSecond: Record<string, number | null> = {};
    let ageSum = 0;
    let ageCount = 0;
    for (const [name, current] of counters) {
      const before = previous.counters.get(name);
      const delta = difference(current.processed, before?.processed);
      processedPerSecond[name] = delta === undefined || seconds <= 0 ? null : delta / seconds;
      ageSum += difference(current.ageSum, before?.ageSum) ?? 0;
      ageCount += difference(current.ageCount, before?.ageCount) ?? 0;
    }
    const endToEnd = settled.map((timeline) => timeline.endToEndMs ?? 0);
    const point: ChartSample = {
      at: new Date(at).toISOString(),
      processedPerSecond,
      meanMessageAgeMs: ageCount > 0 ? (ageSum / ageCount) * 1000 : null,
      ordersSettled: settled.length,
      meanEndToEndMs: endToEnd.length > 0 ? endToEnd.reduce((a, b) => a + b, 0) / endToEnd.length : null,
    };
    this.points.push(point);
    if (this.points.length > CHART_POINTS) this.points.shift();
    return point;
  }

  /** Samples every `intervalMs` until the returned function is called. */
  start(intervalMs: number): () => void {
    let running = false;
    const timer = setInterval(() => {
      if (running) return;
      running = true;
      void this.sample().finally(() => (running = false));
    }, intervalMs);
    timer.unref();
    void this.sample();
    return () => clearInterval(timer);
  }
}

/** A counter's increase; a counter that went down (the service restarted) counts from zero. */
function difference(current: number | undefined, before: number | undefined): number | undefined {
  if (current === undefined) return undefined;
  if (before === undefined || current < before) return current;
  return current - before;
}

async function fetchMetricsText(url: string): Promise<string | undefined> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(3_000) });
    return response.ok ? await response.text() : undefined;
  } catch {
    return undefined;
  }
}
