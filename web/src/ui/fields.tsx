import { useEffect, useId, useState, type ReactNode } from 'react';
import { getAt, numberFromText, type Draft } from '../case/draft.ts';

export interface FieldProps {
  readonly draft: Draft;
  readonly path: string;
  readonly label: string;
  readonly error?: string | undefined;
  readonly onChange: (path: string, value: unknown) => void;
  readonly hint?: string;
  readonly disabled?: boolean;
}

/** Label, control and a reserved message line, so a message appearing never moves the form. */
export function Field({ id, label, error, hint, children }: { id: string; label: string; error?: string | undefined; hint?: string | undefined; children: ReactNode }) {
  return (
    <div className={`field${error ? ' has-error' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children}
      <p className="field-msg" id={`${id}-msg`} role={error ? 'alert' : undefined}>
        {error ?? hint ?? ''}
      </p>
    </div>
  );
}

function sameNumber(text: string, value: unknown): boolean {
  const parsed = numberFromText(text);
  return parsed === value || (parsed === undefined && value === undefined);
}

export function NumberField({ draft, path, label, error, onChange, unit, hint, disabled, step }: FieldProps & { unit?: string; step?: string }) {
  const id = useId();
  const value = getAt(draft, path);
  const [text, setText] = useState(value === undefined ? '' : String(value));
  // Keep what the user typed ("22." or "1e") unless the draft changed from elsewhere (reload, undo).
  useEffect(() => {
    if (!sameNumber(text, value)) setText(value === undefined ? '' : String(value));
  }, [value]);
  return (
    <Field id={id} label={unit ? `${label} (${unit})` : label} error={error} hint={hint}>
      <input
        id={id}
        name={path}
        inputMode="decimal"
        autoComplete="off"
        value={text}
        disabled={disabled}
        aria-invalid={error ? true : undefined}
        aria-describedby={`${id}-msg`}
        data-step={step}
        onChange={(e) => {
          setText(e.target.value);
          onChange(path, numberFromText(e.target.value));
        }}
      />
    </Field>
  );
}

export function TextField({ draft, path, label, error, onChange, hint, disabled, type = 'text' }: FieldProps & { type?: 'text' | 'date' }) {
  const id = useId();
  const value = getAt(draft, path);
  return (
    <Field id={id} label={label} error={error} hint={hint}>
      <input
        id={id}
        name={path}
        type={type}
        autoComplete="off"
        value={typeof value === 'string' ? value : value === undefined ? '' : String(value)}
        disabled={disabled}
        aria-invalid={error ? true : undefined}
        aria-describedby={`${id}-msg`}
        onChange={(e) => onChange(path, e.target.value === '' ? undefined : e.target.value)}
      />
    </Field>
  );
}

export function TextAreaField({ draft, path, label, error, onChange, hint, disabled }: FieldProps) {
  const id = useId();
  const value = getAt(draft, path);
  return (
    <Field id={id} label={label} error={error} hint={hint}>
      <textarea
        id={id}
        name={path}
        rows={2}
        value={typeof value === 'string' ? value : ''}
        disabled={disabled}
        aria-invalid={error ? true : undefined}
        aria-describedby={`${id}-msg`}
        onChange={(e) => onChange(path, e.target.value === '' ? undefined : e.target.value)}
      />
    </Field>
  );
}

export type Option = readonly [value: string, label: string];

export function SelectField({
  draft,
  path,
  label,
  error,
  onChange,
  options,
  emptyLabel = 'Not recorded',
  hint,
  disabled,
  parse = (v: string) => v,
}: FieldProps & { options: readonly Option[]; emptyLabel?: string; parse?: (v: string) => unknown }) {
  const id = useId();
  const raw = getAt(draft, path);
  const value = raw === undefined ? '' : String(raw);
  const known = options.some(([v]) => v === value);
  return (
    <Field id={id} label={label} error={error} hint={hint}>
      <select
        id={id}
        name={path}
        value={value}
        disabled={disabled}
        aria-invalid={error ? true : undefined}
        aria-describedby={`${id}-msg`}
        onChange={(e) => onChange(path, e.target.value === '' ? undefined : parse(e.target.value))}
      >
        <option value="">{emptyLabel}</option>
        {options.map(([v, l]) => (
          <option key={v} value={v}>
            {l}
          </option>
        ))}
        {!known && value !== '' ? <option value={value}>{value} (not in list)</option> : null}
      </select>
    </Field>
  );
}

const YES_NO: readonly Option[] = [
  ['true', 'Yes'],
  ['false', 'No'],
];

/** Yes / No / Not recorded as one segmented control: one click, and "not recorded" is never a guess. */
export function SegmentedField({
  draft,
  path,
  label,
  error,
  onChange,
  options,
  hint,
  disabled,
  parse = (v: string) => v,
  emptyLabel = 'Not recorded',
}: FieldProps & { options: readonly Option[]; parse?: (v: string) => unknown; emptyLabel?: string }) {
  const id = useId();
  const raw = getAt(draft, path);
  const value = raw === undefined ? '' : String(raw);
  const all: readonly Option[] = [...options, ['', emptyLabel]];
  return (
    <fieldset className={`field segmented${error ? ' has-error' : ''}`} role="radiogroup" aria-labelledby={`${id}-legend`} aria-describedby={`${id}-msg`}>
      <legend id={`${id}-legend`}>{label}</legend>
      <div className="segments">
        {all.map(([v, l]) => (
          <label key={v || 'none'} className={value === v ? 'on' : undefined}>
            <input
              type="radio"
              name={path}
              value={v}
              checked={value === v}
              disabled={disabled}
              onChange={() => onChange(path, v === '' ? undefined : parse(v))}
            />
            <span>{l}</span>
          </label>
        ))}
      </div>
      <p className="field-msg" id={`${id}-msg`} role={error ? 'alert' : undefined}>
        {error ?? hint ?? ''}
      </p>
    </fieldset>
  );
}

export function BooleanField(props: FieldProps) {
  return <SegmentedField {...props} options={YES_NO} parse={(v) => v === 'true'} />;
}
