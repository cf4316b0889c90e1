import {
  GRADES,
  HISTOLOGIES,
  MARGINS,
  MARKERS,
  MARKER_NAMES,
  METASTASIS_CATEGORIES,
  NODE_CATEGORIES,
  ORGANS,
  PRESENTATIONS,
  SEXES,
  SPECIMENS,
  TUMOUR_EXTENSIONS,
  TUMOUR_SIDES,
} from '../../../src/engine/index.ts';
import { BooleanField, NumberField, SelectField, TextField, type Option } from '../ui/fields.tsx';
import { getAt, type Draft } from './draft.ts';

/** Every field of the case model (src/engine/model/case.ts), grouped as a clinician works through a case. */

const opts = (values: readonly string[], label: (v: string) => string = (v) => v): Option[] => values.map((v) => [v, label(v)]);
const humanise = (v: string) => v.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());

const HISTOLOGY_OPTIONS: Option[] = HISTOLOGIES.map((h) => [h.code, `${h.name} (${h.code})`]);
const ORGAN_OPTIONS: Option[] = ORGANS.map((o) => [o.id, o.label]);
const VESSEL_OPTIONS: Option[] = ORGANS.filter((o) => o.vesselKind).map((o) => [o.id, o.label]);
const DIFFERENTIATION: Option[] = [
  ['1', '1 — closely resembles normal adult tissue'],
  ['2', '2 — histological type certain'],
  ['3', '3 — embryonal, undifferentiated or type uncertain'],
];
const EXTENSION_LABELS: Record<string, string> = {
  spinal_canal: 'Into the spinal canal',
  right_atrium: 'To the right atrium',
  sciatic_notch: 'Through the sciatic notch',
  transdiaphragmatic: 'Across the diaphragm',
};
const SIDE_LABELS: Record<string, string> = { left: 'Left', right: 'Right', midline: 'Midline', pelvic: 'Pelvic' };

export interface CaseFormProps {
  readonly draft: Draft;
  readonly errors: ReadonlyMap<string, string>;
  readonly onChange: (path: string, value: unknown) => void;
  readonly readOnly?: boolean;
}

export function CaseForm({ draft, errors, onChange, readOnly }: CaseFormProps) {
  const f = (path: string) => ({ draft, path, onChange, error: errors.get(path), disabled: readOnly ?? false });
  return (
    <div className="case-form">
      <fieldset className="form-section" id="section-patient">
        <legend>Patient</legend>
        <div className="grid-2">
          <NumberField {...f('patient.ageYears')} label="Age" unit="years" />
          <SelectField {...f('patient.sex')} label="Sex" options={opts(SEXES, humanise)} />
          <SelectField {...f('presentation')} label="Presentation" options={opts(PRESENTATIONS, humanise)} emptyLabel="Primary (default)" />
          <TextField {...f('id')} label="Case reference" hint="Optional local identifier" />
        </div>
      </fieldset>

      <fieldset className="form-section" id="section-imaging">
        <legend>Imaging</legend>
        <div className="grid-2">
          <NumberField {...f('tumor.sizeCm')} label="Greatest dimension" unit="cm" />
          <SelectField {...f('tumor.side')} label="Side" options={opts(TUMOUR_SIDES, (v) => SIDE_LABELS[v] ?? v)} />
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
                {EXTENSION_LABELS[x] ?? x}
              </label>
            );
          })}
          <p className="field-msg" id="extension-msg" role={errors.get('tumor.extension') ? 'alert' : undefined}>
            {errors.get('tumor.extension') ?? ''}
          </p>
        </fieldset>
        <p className="section-note">Organs the tumour contacts or infiltrates are marked on the anatomy diagram.</p>
      </fieldset>

      <fieldset className="form-section" id="section-pathology">
        <legend>Pathology and markers</legend>
        <div className="grid-2">
          <SelectField {...f('pathology.specimen')} label="Specimen" options={opts(SPECIMENS, humanise)} />
          <SelectField {...f('pathology.histology')} label="Histology (ICD-O-3)" options={HISTOLOGY_OPTIONS} emptyLabel="Not yet known" />
        </div>
        <div className="grid-3 markers" role="group" aria-label="Immunohistochemistry and molecular markers">
          {MARKER_NAMES.map((m) => (
            <SelectField
              key={m}
              {...f(`pathology.markers.${m}`)}
              label={MARKERS[m].label}
              options={opts(MARKERS[m].results, humanise)}
              emptyLabel="—"
            />
          ))}
        </div>
      </fieldset>

      <fieldset className="form-section" id="section-fnclcc">
        <legend>FNCLCC grade</legend>
        <div className="grid-2">
          <SelectField {...f('pathology.fnclcc.differentiation')} label="Differentiation score" options={DIFFERENTIATION} parse={Number} />
          <NumberField {...f('pathology.fnclcc.mitosesPer10Hpf')} label="Mitoses" unit="per 10 HPF" />
          <NumberField {...f('pathology.fnclcc.necrosisPercent')} label="Necrosis" unit="%" />
          <SelectField {...f('pathology.grade')} label="Reported grade" options={opts(GRADES)} hint="Components, when all three are given, take precedence" />
        </div>
      </fieldset>

      <fieldset className="form-section" id="section-surgery">
        <legend>Surgery</legend>
        <div className="grid-2">
          <SelectField {...f('surgery.margin')} label="Resection margin" options={opts(MARGINS)} emptyLabel="Not resected / pending" />
        </div>
      </fieldset>
    </div>
  );
}
