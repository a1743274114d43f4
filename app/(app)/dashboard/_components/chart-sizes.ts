// The charts' heights in px, shared by the charts and the boxes that hold their place while they
// load (lazy-charts.tsx), so the page does not move when a chart appears.
export const CHART_HEIGHT = { bars: 300, pie: 240, trend: 300 } as const;
