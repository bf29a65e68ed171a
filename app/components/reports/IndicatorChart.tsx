// The Decision 766 rates per month as horizontal bars: plain SVG rendered on the server (no chart
// library, nothing to load, prints as it shows). Each bar carries its value as text and the
// legend names each series, so colour is never the only cue; the table below holds the same figures.
import { useTranslation } from "react-i18next";

export interface ChartMonth { month: string; onTimeRate: number | null; onlineRate: number | null; digitisationRate: number | null; satisfaction: number | null }

const SERIES = [
  { key: "onTimeRate", label: "reports.onTime", color: "#1f5fa8" },
  { key: "onlineRate", label: "reports.online", color: "#2e7d32" },
  { key: "digitisationRate", label: "reports.digitised", color: "#8a4f00" },
  { key: "satisfaction", label: "reports.satisfaction", color: "#6a1b9a" },
] as const;

const BAR = 16;
const GAP = 4;
const LABEL_W = 80;
const PLOT_W = 420;

export function IndicatorChart({ months }: { months: ChartMonth[] }) {
  const { t } = useTranslation();
  const groupH = SERIES.length * (BAR + GAP) + 14;
  const height = months.length * groupH + 24;
  const fmt = (v: number | null) => (v === null ? t("reports.noData") : `${v}%`);
  const summary = months
    .map((m) => `${m.month}: ${SERIES.map((s) => `${t(s.label)} ${fmt(m[s.key])}`).join(", ")}`)
    .join("; ");
  return (
    <figure className="indicator-chart" data-testid="indicator-chart">
      <figcaption>{t("reports.chartTitle")}</figcaption>
      <ul className="chart-legend">
        {SERIES.map((s) => (
          <li key={s.key}><span className="swatch" style={{ background: s.color }} aria-hidden="true" />{t(s.label)}</li>
        ))}
      </ul>
      <svg viewBox={`0 0 ${LABEL_W + PLOT_W + 60} ${height}`} width="100%" role="img" aria-labelledby="chart-title chart-desc">
        <title id="chart-title">{t("reports.chartTitle")}</title>
        <desc id="chart-desc">{summary}</desc>
        {[0, 50, 100].map((tick) => (
          <g key={tick}>
            <line x1={LABEL_W + (tick / 100) * PLOT_W} x2={LABEL_W + (tick / 100) * PLOT_W} y1={0} y2={height - 18} stroke="#767676" strokeDasharray="2 3" />
            <text x={LABEL_W + (tick / 100) * PLOT_W} y={height - 4} fontSize="11" textAnchor="middle" fill="#333">{tick}%</text>
          </g>
        ))}
        {months.map((m, i) => {
          const y0 = i * groupH + 4;
          return (
            <g key={m.month}>
              <text x={0} y={y0 + groupH / 2} fontSize="13" fill="#111">{m.month}</text>
              {SERIES.map((s, j) => {
                const v = m[s.key];
                const y = y0 + j * (BAR + GAP);
                const w = v === null ? 0 : Math.max(1, (Math.min(100, v) / 100) * PLOT_W);
                return (
                  <g key={s.key} data-series={s.key} data-value={v ?? ""}>
                    <rect x={LABEL_W} y={y} width={w} height={BAR} fill={s.color} />
                    <text x={LABEL_W + w + 4} y={y + BAR - 4} fontSize="11" fill="#111">{fmt(v)}</text>
                  </g>
                );
              })}
            </g>
          );
        })}
      </svg>
    </figure>
  );
}
