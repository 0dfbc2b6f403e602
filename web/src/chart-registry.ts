// The charts alive on the page. ECharts keeps every instance (its drawing, its listeners, the data) until dispose(),
// and pages replace their figures on every query and route change, so each chart is disposed once its figure has
// left the document. Free of ECharts and of the DOM so that the rule can be tested on its own.

export interface Tracked {
  /** Whether the chart's element is still in the document. */
  attached(): boolean;
  /** Frees the chart and whatever watches it (its ResizeObserver). */
  dispose(): void;
}

/** Watches the document for removed elements while any chart is alive, and stops when none is. */
export interface Watcher {
  start(): void;
  stop(): void;
}

export class ChartRegistry<T extends Tracked = Tracked> {
  private readonly live = new Set<T>();

  constructor(private readonly watcher: Watcher) {}

  get size(): number {
    return this.live.size;
  }

  add(chart: T): void {
    this.live.add(chart);
    if (this.live.size === 1) this.watcher.start();
  }

  /** Disposes every chart whose element has left the document (each once) and says how many. */
  sweep(): number {
    let disposed = 0;
    for (const chart of [...this.live]) {
      if (chart.attached()) continue;
      this.live.delete(chart);
      chart.dispose();
      disposed += 1;
    }
    if (disposed > 0 && this.live.size === 0) this.watcher.stop();
    return disposed;
  }
}
