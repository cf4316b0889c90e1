import { useId, useMemo, useState } from 'react';
import { blocksNeeded, pseudocapsuleModel, samplingMissProbability } from '../../../src/engine/index.ts';
import { SourceList } from '../evaluation/EvaluationPanel.tsx';
import { LineChart } from './LineChart.tsx';

/** A slider with a number box beside it: drag for a feel, type for an exact value (no 250 key presses to reach n = 290). */
function Slider({ label, value, min, max, step, onChange, format }: { label: string; value: number; min: number; max: number; step: number; onChange: (v: number) => void; format: (v: number) => string }) {
  const id = useId();
  const [text, setText] = useState<string | null>(null);
  const typed = text === null ? null : Number(text.replace(',', '.'));
  const invalid = typed !== null && (!Number.isFinite(typed) || typed < min || typed > max);
  return (
    <div className="slider">
      <div className="slider-head">
        <label htmlFor={id}>{label}</label> <output htmlFor={id}>{format(value)}</output>
      </div>
      <div className="slider-row">
        <input id={id} type="range" min={min} max={max} step={step} value={value} onChange={(e) => (setText(null), onChange(Number(e.target.value)))} />
        <input
          className="slider-number"
          type="number"
          inputMode="decimal"
          min={min}
          max={max}
          step={step}
          aria-label={`${label} (exact value)`}
          aria-invalid={invalid || undefined}
          aria-describedby={`${id}-range`}
          value={text ?? String(value)}
          onChange={(e) => {
            setText(e.target.value);
            const n = Number(e.target.value.replace(',', '.'));
            if (e.target.value.trim() !== '' && Number.isFinite(n) && n >= min && n <= max) onChange(n);
          }}
          onBlur={() => setText(null)}
        />
      </div>
      <p className="field-msg" id={`${id}-range`} role={invalid ? 'alert' : undefined}>
        {invalid ? `Enter a value from ${min} to ${max}.` : `${min} to ${max}`}
      </p>
    </div>
  );
}

const f2 = (x: number) => x.toFixed(2);
const mm = (x: number) => `${x.toFixed(1)} mm`;
const pct = (x: number) => `${(x * 100).toFixed(x < 0.1 ? 1 : 0)} %`;

/** The seed's worked example: c = 1 mm, ℓ = 3 mm, φ = 0.15 → 0.72 and 0.76 (REFERENCE.md §6). */
const PSEUDOCAPSULE_SEED = { c: 1, l: 3, phi: 0.15 };
/** The seed's worked example: p = 0.01, n = 40 → miss 0.67; d = 0.95 → 299 blocks. */
const SAMPLING_SEED = { p: 0.01, n: 40, d: 0.95 };

export function PseudocapsuleTool() {
  const [c, setC] = useState(PSEUDOCAPSULE_SEED.c);
  const [l, setL] = useState(PSEUDOCAPSULE_SEED.l);
  const [phi, setPhi] = useState(PSEUDOCAPSULE_SEED.phi);
  const result = pseudocapsuleModel(c, l, phi);
  const xMax = 10;
  const curves = useMemo(() => {
    const xs = Array.from({ length: 101 }, (_, i) => (i / 100) * xMax);
    return [
      { label: `Residual disease (φ = ${f2(phi)})`, points: xs.map((x) => [x, pseudocapsuleModel(x, l, phi).residualDisease] as const) },
      { label: 'Satellite beyond capsule', points: xs.map((x) => [x, pseudocapsuleModel(x, l, phi).satelliteBeyondCapsule] as const), dashed: true },
    ];
  }, [l, phi]);
  return (
    <section className="tool card" aria-labelledby="pc-heading">
      <h2 id="pc-heading">Pseudocapsule model</h2>
      <p className="muted">
        Distance to the nearest satellite nodule is modelled as exponential with mean ℓ; a fraction φ of the capsule surface is defective.
        P(residual disease) = 1 − (1 − e<sup>−c/ℓ</sup>)(1 − φ).
      </p>
      <div className="tool-body">
        <div className="tool-controls">
          <Slider label="Capsule thickness c" value={c} min={0} max={10} step={0.1} onChange={setC} format={mm} />
          <Slider label="Mean satellite distance ℓ" value={l} min={0.5} max={10} step={0.1} onChange={setL} format={mm} />
          <Slider label="Defect fraction φ" value={phi} min={0} max={0.5} step={0.01} onChange={setPhi} format={f2} />
          <dl className="readout">
            <div>
              <dt>P(satellite beyond capsule)</dt>
              <dd data-testid="pc-satellite">{f2(result.satelliteBeyondCapsule)}</dd>
            </div>
            <div>
              <dt>P(residual disease)</dt>
              <dd data-testid="pc-residual">{f2(result.residualDisease)}</dd>
            </div>
          </dl>
          <button type="button" className="btn ghost" onClick={() => (setC(PSEUDOCAPSULE_SEED.c), setL(PSEUDOCAPSULE_SEED.l), setPhi(PSEUDOCAPSULE_SEED.phi))}>
            Teaching example (c 1 mm, ℓ 3 mm, φ 0.15)
          </button>
        </div>
        <LineChart
          title="Residual-disease probability against capsule thickness"
          description={`For ℓ = ${l} mm and φ = ${phi}: at c = ${c} mm the probability of residual disease is ${f2(result.residualDisease)}.`}
          series={curves}
          xMax={xMax}
          xLabel="Capsule thickness c (mm)"
          yLabel="Probability"
          markers={[{ x: c, y: result.residualDisease, label: `c = ${c.toFixed(1)} mm → ${f2(result.residualDisease)}` }]}
        />
      </div>
      <SourceList sources={['SEED']} />
      <p className="muted small">Illustrative teaching model (teaching chapter): it shows why a thin pseudocapsule is not a margin; it is not a patient-specific prediction.</p>
    </section>
  );
}

export function SamplingTool() {
  const [p, setP] = useState(SAMPLING_SEED.p);
  const [n, setN] = useState(SAMPLING_SEED.n);
  const [d, setD] = useState(SAMPLING_SEED.d);
  const miss = samplingMissProbability(p, n).missProbability;
  const needed = blocksNeeded(p, d);
  const xMax = Math.max(400, Math.ceil((needed * 1.15) / 50) * 50);
  const curve = useMemo(() => {
    const xs = Array.from({ length: 201 }, (_, i) => Math.round((i / 200) * xMax));
    return [{ label: `Miss probability (p = ${pct(p)})`, points: xs.map((x) => [x, samplingMissProbability(p, x).missProbability] as const) }];
  }, [p, xMax]);
  return (
    <section className="tool card" aria-labelledby="sm-heading">
      <h2 id="sm-heading">Margin sampling model</h2>
      <p className="muted">
        With a fraction p of the margin involved and n independent blocks, all blocks miss it with probability (1 − p)<sup>n</sup>; the blocks needed for a detection
        probability d are ⌈ln(1 − d) / ln(1 − p)⌉.
      </p>
      <div className="tool-body">
        <div className="tool-controls">
          <Slider label="Involved fraction of margin p" value={p} min={0.001} max={0.1} step={0.001} onChange={setP} format={pct} />
          <Slider label="Blocks taken n" value={n} min={0} max={xMax} step={1} onChange={setN} format={(v) => String(v)} />
          <Slider label="Target detection d" value={d} min={0.5} max={0.99} step={0.01} onChange={setD} format={f2} />
          <dl className="readout">
            <div>
              <dt>P(all {n} blocks miss)</dt>
              <dd data-testid="sm-miss">{f2(miss)}</dd>
            </div>
            <div>
              <dt>Blocks for {Math.round(d * 100)} % detection</dt>
              <dd data-testid="sm-needed">{needed}</dd>
            </div>
          </dl>
          <button type="button" className="btn ghost" onClick={() => (setP(SAMPLING_SEED.p), setN(SAMPLING_SEED.n), setD(SAMPLING_SEED.d))}>
            Teaching example (p 1 %, n 40, d 0.95)
          </button>
        </div>
        <LineChart
          title="Probability that every block misses an involved margin"
          description={`With p = ${p}: ${n} blocks miss with probability ${f2(miss)}; ${needed} blocks are needed for ${Math.round(d * 100)} % detection.`}
          series={curve}
          xMax={xMax}
          xLabel="Number of blocks n"
          yLabel="Miss probability"
          markers={[
            { x: n, y: miss, label: `n = ${n} → ${f2(miss)}` },
            { x: needed, y: 1 - d, label: `${needed} blocks for ${Math.round(d * 100)} %` },
          ]}
          hLines={[{ y: 1 - d, label: `miss = ${f2(1 - d)}` }]}
        />
      </div>
      <SourceList sources={['SEED', 'CAP']} />
    </section>
  );
}

export function MarginToolsPage() {
  return (
    <div className="page tools-page">
      <header className="page-head">
        <h1>Margin tools</h1>
        <p className="muted">The teaching chapter’s two quantitative margin models, computed by the Retroplan engine.</p>
      </header>
      <PseudocapsuleTool />
      <SamplingTool />
    </div>
  );
}
