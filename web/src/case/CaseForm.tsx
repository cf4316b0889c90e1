import {
  GRADES,
  HISTOLOGIES,
  MARGINS,
  MARKER_NAMES,
  METASTASIS_CATEGORIES,
  NODE_CATEGORIES,
  ORGANS,
  SPECIMENS,
  TUMOUR_EXTENSIONS,
} from '../../../src/engine/index.ts';
import { useId, useRef, useState } from 'react';
import { ECOG_VALUES, IMAGING_MODALITIES, type MarkerName } from '../../../src/engine/index.ts';
import { ecogName, histologyWithCode, label, options, markerName, markerResultOptions, organName } from '../../../src/engine/vocabulary.ts';
import { BooleanField, Field, NumberField, SegmentedField, SelectField, TextAreaField, TextField, type Option } from '../ui/fields.tsx';
import { getAt, type Draft } from './draft.ts';

/** Every field of the case model (src/engine/model/case.ts), grouped as a clinician works through a case. */

const opts = (values: readonly (string | number)[], lab: (v: string) => string = (v) => v): Option[] => values.map((v) => [String(v), lab(String(v))]);

const ORGAN_OPTIONS: Option[] = ORGANS.map((o) => [o.id, organName(o.id)]);
const VESSEL_OPTIONS: Option[] = ORGANS.filter((o) => o.vesselKind).map((o) => [o.id, organName(o.id)]);
const DIFFERENTIATION: Option[] = [
  ['1', '1 — closely resembles normal adult tissue'],
  ['2', '2 — histological type certain'],
  ['3', '3 — embryonal, undifferentiated or type uncertain'],
];
/** MDM2 and CDK4 decide the commonest RPS (liposarcoma): always shown; the other markers are added when done. */
const KEY_MARKERS: readonly MarkerName[] = ['MDM2', 'CDK4'];

export interface CaseFormProps {
  readonly draft: Draft;
  readonly errors: ReadonlyMap<string, string>;
  readonly onChange: (path: string, value: unknown) => void;
  readonly readOnly?: boolean;
}

/** Histology by typing its name or its ICD-O-3 code; the list narrows as one types. */
function HistologyField({ draft, onChange, error, disabled }: { draft: Draft; onChange: (path: string, v: unknown) => void; error?: string | undefined; disabled: boolean }) {
  const id = useId();
  const code = getAt(draft, 'pathology.histology');
  const shown = typeof code === 'string' ? histologyWithCode(code) : '';
  const [text, setText] = useState<string | null>(null);
  const value = text ?? shown;
  const match = (t: string) => {
    const q = t.trim().toLowerCase();
    if (!q) return null;
    return HISTOLOGIES.find((h) => histologyWithCode(h.code).toLowerCase() === q || h.code === q || h.name.toLowerCase() === q) ?? null;
  };
  const unmatched = text !== null && text.trim() !== '' && !match(text);
  return (
    <Field id={id} label="Histology (name or ICD-O-3 code)" error={error ?? (unmatched ? 'Choose a histology from the list (type part of its name or code).' : undefined)} hint="Leave empty while not yet known">
      <input
        id={id}
        name="pathology.histology"
        list={`${id}-list`}
        autoComplete="off"
        value={value}
        disabled={disabled}
        aria-invalid={error || unmatched ? true : undefined}
        aria-describedby={`${id}-msg`}
        onChange={(e) => {
          const t = e.target.value;
          const m = match(t);
          if (m) {
            setText(null);
            onChange('pathology.histology', m.code);
          } else {
            setText(t);
            if (t.trim() === '') onChange('pathology.histology', undefined);
          }
        }}
        onBlur={() => {
          if (text !== null && text.trim() === '') setText(null);
        }}
      />
      <datalist id={`${id}-list`}>
        {HISTOLOGIES.map((h) => (
          <option key={h.code} value={histologyWithCode(h.code)} />
        ))}
      </datalist>
    </Field>
  );
}

/** The hospital number is the patient's `mrn` identifier; other identifiers are kept as they are. */
function HospitalNumberField({ draft, onChange, disabled }: { draft: Draft; onChange: (path: string, v: unknown) => void; disabled: boolean }) {
  const id = useId();
  const list = getAt(draft, 'patient.identifiers');
  const ids = Array.isArray(list) ? (list as { kind?: string; value?: string }[]) : [];
  const mrn = ids.find((i) => i.kind === 'mrn')?.value ?? '';
  return (
    <Field id={id} label="Hospital number (MRN)">
      <input
        id={id}
        name="patient.identifiers"
        autoComplete="off"
        value={mrn}
        disabled={disabled}
        aria-describedby={`${id}-msg`}
        onChange={(e) => {
          const others = ids.filter((i) => i.kind !== 'mrn');
          const v = e.target.value;
          const next = v === '' ? others : [...others, { kind: 'mrn', value: v }];
          onChange('patient.identifiers', next.length ? next : undefined);
        }}
      />
    </Field>
  );
}

function Markers({ draft, f, readOnly }: { draft: Draft; f: (path: string) => FieldBase; readOnly: boolean }) {
  const recorded = MARKER_NAMES.filter((m) => getAt(draft, `pathology.markers.${m}`) !== undefined);
  const [added, setAdded] = useState<MarkerName[]>([]);
  const addRef = useRef<HTMLSelectElement>(null);
  const shown = [...KEY_MARKERS, ...MARKER_NAMES.filter((m) => !KEY_MARKERS.includes(m) && (recorded.includes(m) || added.includes(m)))];
  const addable = MARKER_NAMES.filter((m) => !shown.includes(m));
  return (
    <div className="markers" role="group" aria-label="Immunohistochemistry and molecular markers">
      <div className="grid-2">
        {shown.map((m) => (
          <SegmentedField key={m} {...f(`pathology.markers.${m}`)} label={markerName(m)} options={markerResultOptions(m)} emptyLabel="Not done" />
        ))}
      </div>
      {!readOnly && addable.length ? (
        <div className="field add-marker">
          <label htmlFor="add-marker">Add a marker that was done</label>
          <select
            id="add-marker"
            ref={addRef}
            value=""
            onChange={(e) => {
              const m = e.target.value as MarkerName;
              if (!m) return;
              setAdded((a) => [...a, m]);
              // Focus the new marker's first answer so the result is one more key press.
              requestAnimationFrame(() => document.querySelector<HTMLInputElement>(`input[name="pathology.markers.${m}"]`)?.focus());
            }}
          >
            <option value="">Choose a marker…</option>
            {addable.map((m) => (
              <option key={m} value={m}>
                {markerName(m)}
              </option>
            ))}
          </select>
        </div>
      ) : null}
    </div>
  );
}

type FieldBase = { draft: Draft; path: string; onChange: (path: string, value: unknown) => void; error: string | undefined; disabled: boolean };

export function CaseForm({ draft, errors, onChange, readOnly }: CaseFormProps) {
  const f = (path: string): FieldBase => ({ draft, path, onChange, error: errors.get(path), disabled: readOnly ?? false });
  return (
    <div className="case-form">
      <fieldset className="form-section" id="section-board">
        <legend>Patient and referral</legend>
        <div className="grid-2">
          <TextField {...f('patient.name')} label="Patient name" />
          <HospitalNumberField draft={draft} onChange={onChange} disabled={readOnly ?? false} />
          <TextField {...f('patient.dateOfBirth')} label="Date of birth" type="date" />
          <NumberField {...f('patient.ageYears')} label="Age" unit="years" />
          <SelectField {...f('patient.sex')} label="Sex" options={options('sex')} />
          <SelectField {...f('patient.ecog')} label="Performance status (ECOG)" options={ECOG_VALUES.map((v) => [String(v), ecogName(v)] as const)} parse={Number} />
          <SegmentedField {...f('presentation')} label="Presentation" options={options('presentation')} emptyLabel="Not stated" />
          <TextField {...f('id')} label="Case reference" hint="Optional local identifier" />
          <TextField {...f('board.referrer')} label="Referrer" />
          <TextField {...f('board.referringHospital')} label="Referring hospital" />
        </div>
        <TextAreaField {...f('patient.comorbidities')} label="Comorbidities" />
        <TextAreaField {...f('board.question')} label="Question to the board" />
      </fieldset>

      <fieldset className="form-section" id="section-imaging">
        <legend>Imaging</legend>
        <div className="grid-2">
          <NumberField {...f('tumor.sizeCm')} label="Greatest dimension" unit="cm" />
          <SelectField {...f('tumor.side')} label="Side" options={options('side')} />
          <TextField {...f('tumor.imaging.date')} label="Imaging date" type="date" />
          <SelectField {...f('tumor.imaging.modality')} label="Imaging modality" options={IMAGING_MODALITIES.map((m) => [m, label('modality', m)] as const)} />
          <BooleanField {...f('tumor.imaging.macroscopicFat')} label="Macroscopic fat" />
          <BooleanField {...f('tumor.imaging.solidComponent')} label="Solid (non-fatty) component" />
          <BooleanField {...f('tumor.imaging.hypervascular')} label="Hypervascular" />
          <BooleanField {...f('tumor.imaging.calcification')} label="Calcification" />
          <SelectField {...f('tumor.imaging.organOfOrigin')} label="Organ of origin" options={ORGAN_OPTIONS} />
          <SelectField {...f('tumor.imaging.vesselOrigin')} label="Vessel of origin" options={VESSEL_OPTIONS} />
          <BooleanField {...f('tumor.multifocal')} label="Multifocal" />
          <SelectField {...f('tumor.nodes')} label="Regional nodes" options={opts(NODE_CATEGORIES)} />
          <SelectField {...f('tumor.metastasis')} label="Distant metastasis" options={opts(METASTASIS_CATEGORIES)} />
        </div>
        <fieldset className="checks extension" aria-describedby="extension-msg">
          <legend>Extension</legend>
          {TUMOUR_EXTENSIONS.map((x) => {
            const list = getAt(draft, 'tumor.extension');
            const current = Array.isArray(list) ? (list as string[]) : [];
            return (
              <label key={x}>
                <input
                  type="checkbox"
                  name="tumor.extension"
                  value={x}
                  disabled={readOnly ?? false}
                  checked={current.includes(x)}
                  onChange={(e) => {
                    const next = e.target.checked ? [...current, x] : current.filter((v) => v !== x);
                    onChange('tumor.extension', next.length ? next : undefined);
                  }}
                />{' '}
                {label('extension', x)}
              </label>
            );
          })}
          <p className="field-msg" id="extension-msg" role={errors.get('tumor.extension') ? 'alert' : undefined}>
            {errors.get('tumor.extension') ?? ''}
          </p>
        </fieldset>
        <p className="section-note">Structures the tumour touches or invades are marked on the anatomy drawing.</p>
      </fieldset>

      <fieldset className="form-section" id="section-pathology">
        <legend>Pathology and markers</legend>
        <div className="grid-2">
          <SegmentedField {...f('pathology.specimen')} label="Specimen" options={opts(SPECIMENS, (v) => label('specimen', v))} emptyLabel="None yet" />
          <HistologyField draft={draft} onChange={onChange} error={errors.get('pathology.histology')} disabled={readOnly ?? false} />
        </div>
        <Markers draft={draft} f={f} readOnly={readOnly ?? false} />
      </fieldset>

      <fieldset className="form-section" id="section-fnclcc">
        <legend>FNCLCC grade</legend>
        <div className="grid-2">
          <SegmentedField {...f('pathology.grade')} label="Reported grade" options={opts(GRADES)} hint="Components, when all three are given, take precedence" />
          <SelectField {...f('pathology.fnclcc.differentiation')} label="Differentiation score" options={DIFFERENTIATION} parse={Number} />
          <NumberField {...f('pathology.fnclcc.mitosesPer10Hpf')} label="Mitoses" unit="per 10 HPF" />
          <NumberField {...f('pathology.fnclcc.necrosisPercent')} label="Necrosis" unit="%" />
        </div>
      </fieldset>

      <fieldset className="form-section" id="section-surgery">
        <legend>Surgery</legend>
        <div className="grid-2">
          <SelectField {...f('surgery.margin')} label="Resection margin" options={opts(MARGINS)} emptyLabel="Not resected / pending" />
          <TextField {...f('surgery.date')} label="Surgery date" type="date" />
        </div>
      </fieldset>
    </div>
  );
}
