import { useId, useState } from 'react';
import type { IntraopFinding } from '../../../src/engine/index.ts';
import { organName } from '../../../src/engine/vocabulary.ts';
import { CRITERION_CHOICES, EXTENT_CHOICES, FINDING_BUTTONS, FROZEN_RESULTS, FROZEN_TARGETS, ORGAN_CHOICES, VEINS, VESSEL_CHOICES, type FindingType } from './findings.ts';

/**
 * Big buttons for the findings vocabulary. A finding without a choice is recorded
 * with one tap; one that needs a structure, an extent or a result opens its
 * choices as buttons (the structures near the tumour first, any other from a list).
 */
export function FindingPad({ near, disabled, onFinding }: { near: readonly string[]; disabled: boolean; onFinding: (f: IntraopFinding) => void }) {
  const [open, setOpen] = useState<FindingType | null>(null);
  const [target, setTarget] = useState<string | null>(null);
  const [occluded, setOccluded] = useState(false);
  const otherId = useId();
  const close = () => {
    setOpen(null);
    setTarget(null);
    setOccluded(false);
  };
  const tap = (type: FindingType) => {
    if (type === 'bleeding' || type === 'contralateral_kidney_unknown') {
      close();
      onFinding({ type });
      return;
    }
    setTarget(null);
    setOccluded(false);
    setOpen(open === type ? null : type);
  };
  const give = (f: IntraopFinding) => {
    close();
    onFinding(f);
  };

  const structureChoices = (vesselsOnly: boolean) => {
    const pool = vesselsOnly ? VESSEL_CHOICES : ORGAN_CHOICES;
    const nearby = near.filter((id) => pool.some((c) => c.id === id));
    const pick = (id: string) => (vesselsOnly ? give({ type: 'encasement', structure: id, ...(VEINS.has(id) && occluded ? { occludedWithCollaterals: true } : {}) }) : give({ type: 'infiltration', structure: id }));
    return (
      <>
        {vesselsOnly ? (
          <label className="check-big">
            <input type="checkbox" checked={occluded} onChange={(e) => setOccluded(e.target.checked)} /> Vein occluded with collaterals
          </label>
        ) : null}
        {nearby.length ? (
          <div className="choice-grid" role="group" aria-label={vesselsOnly ? 'Vessels near the tumour' : 'Structures near the tumour'}>
            {nearby.map((id) => (
              <button key={id} type="button" className="btn big choice" onClick={() => pick(id)}>
                {organName(id)}
              </button>
            ))}
          </div>
        ) : null}
        <div className="row">
          <label htmlFor={otherId}>{vesselsOnly ? 'Another vessel' : 'Another structure'}</label>
          <select id={otherId} value="" onChange={(e) => e.target.value && pick(e.target.value)}>
            <option value="">Choose…</option>
            {pool.map((c) => (
              <option key={c.id} value={c.id}>
                {c.label}
              </option>
            ))}
          </select>
        </div>
      </>
    );
  };

  return (
    <section className="finding-pad" aria-labelledby="findings-heading">
      <h2 id="findings-heading">Record a finding</h2>
      <div className="finding-grid">
        {FINDING_BUTTONS.map((b) => (
          <button key={b.type} type="button" className={`btn big finding${open === b.type ? ' active' : ''}`} aria-expanded={b.picker ? open === b.type : undefined} disabled={disabled} onClick={() => tap(b.type)}>
            {b.label}
          </button>
        ))}
      </div>
      {open ? (
        <div className="picker" role="region" aria-label={`${FINDING_BUTTONS.find((b) => b.type === open)!.label}: choose`}>
          {open === 'infiltration' ? structureChoices(false) : null}
          {open === 'encasement' ? structureChoices(true) : null}
          {open === 'rupture' ? (
            <div className="choice-grid" role="group" aria-label="Extent of the rupture">
              {EXTENT_CHOICES.map((c) => (
                <button key={c.id} type="button" className="btn big choice" onClick={() => give({ type: 'rupture', extent: c.id })}>
                  {c.label}
                </button>
              ))}
            </div>
          ) : null}
          {open === 'unresectable' ? (
            <div className="choice-grid" role="group" aria-label="What makes it unresectable">
              {CRITERION_CHOICES.map((c) => (
                <button key={c.id} type="button" className="btn big choice" onClick={() => give({ type: 'unresectable', criterion: c.id })}>
                  {c.label}
                </button>
              ))}
            </div>
          ) : null}
          {open === 'frozen_section' ? (
            <>
              <div className="choice-grid" role="group" aria-label="Frozen section of">
                {FROZEN_TARGETS.map((c) => (
                  <button key={c.id} type="button" className={`btn big choice${target === c.id ? ' active' : ''}`} aria-pressed={target === c.id} onClick={() => setTarget(c.id)}>
                    {c.label}
                  </button>
                ))}
              </div>
              <div className="choice-grid" role="group" aria-label="Frozen section result">
                {FROZEN_RESULTS.map((c) => (
                  <button
                    key={c.id}
                    type="button"
                    className="btn big choice"
                    disabled={target === null}
                    onClick={() => target && give({ type: 'frozen_section', target: target as (typeof FROZEN_TARGETS)[number]['id'], result: c.id })}
                  >
                    {c.label}
                  </button>
                ))}
              </div>
            </>
          ) : null}
          <button type="button" className="btn ghost" onClick={close}>
            Cancel
          </button>
        </div>
      ) : null}
    </section>
  );
}
