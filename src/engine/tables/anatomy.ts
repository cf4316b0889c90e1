/**
 * The retroperitoneal anatomy Retroplan reasons about: one table, shared by the
 * resection planner and the web app's diagram.
 *
 * Compartments: SEED ("three-layered cake" of the renal fascia) — anterior
 * pararenal (pancreas, duodenum, ascending/descending colon), perirenal (kidney,
 * adrenal, proximal ureter, renal vessels, perirenal fat), posterior pararenal
 * (fat in front of the posterior wall muscles). Structures outside the three
 * spaces are grouped by region.
 *
 * Resection classes: REFERENCE.md §5 [C] (TARPSWG-2015, TARPSWG-2021, SEED):
 * - `resect-when-contiguous`: removed en bloc with the tumour when it abuts them;
 * - `resect-when-contiguous-left`: spleen and pancreatic body/tail, removed when a
 *   left-sided tumour is adherent;
 * - `preserve-unless-infiltrated`: kept unless directly invaded;
 * - `vessel`: veins resected and reconstructed when the tumour's origin or
 *   directly involved; arteries dissected free (sub-adventitially) unless invaded.
 * `unresectableIfInfiltrated` marks the STRASS2 criteria (REFERENCE.md §5 [V]);
 * `majorOrgan` marks the organs of "infiltration of several major organs".
 */
export const COMPARTMENTS = {
  anterior_pararenal: 'anterior pararenal space',
  perirenal: 'perirenal space (within the renal fascia)',
  posterior_pararenal: 'posterior pararenal space',
  posterior_wall: 'posterior abdominal wall (muscles, nerves and vessels on them)',
  great_vessels: 'great vessels and mesenteric root',
  intraperitoneal: 'intraperitoneal organs',
  pelvis: 'pelvis',
} as const;
export type CompartmentId = keyof typeof COMPARTMENTS;

/**
 * How the compartments sit from front to back and what bounds them, for the
 * drawing's layers and legend. The three fascial spaces of the renal fascia and
 * their contents: REFERENCE.md §5 (Compartments, SEED) and the seed chapter's
 * "three-layered cake" (anterior pararenal in front, perirenal within the renal
 * (Gerota's) fascia, posterior pararenal behind, fat only, in front of the
 * posterior wall muscles). `depth`: 0 is the most anterior.
 */
export const COMPARTMENT_LAYERS: Record<CompartmentId, { readonly depth: number; readonly fascialSpace: boolean; readonly boundary: string }> = {
  intraperitoneal: { depth: 0, fascialSpace: false, boundary: 'in front of the posterior parietal peritoneum (shown in outline)' },
  anterior_pararenal: { depth: 1, fascialSpace: true, boundary: 'between the posterior parietal peritoneum and the anterior renal fascia' },
  great_vessels: { depth: 2, fascialSpace: false, boundary: 'midline, in front of the spine, between the two perirenal spaces' },
  perirenal: { depth: 2, fascialSpace: true, boundary: "within the renal (Gerota's) fascia" },
  posterior_pararenal: { depth: 3, fascialSpace: true, boundary: 'between the posterior renal fascia and the transversalis fascia; fat only' },
  posterior_wall: { depth: 4, fascialSpace: false, boundary: 'the muscles, nerves and bone behind the spaces' },
  pelvis: { depth: 2, fascialSpace: false, boundary: 'below the pelvic brim' },
};

export type ResectionClass =
  | 'resect-when-contiguous'
  | 'resect-when-contiguous-left'
  | 'preserve-unless-infiltrated'
  | 'vessel';

export interface StructureDefinition {
  /** Base id; sided structures take `_left` / `_right` in the case model. */
  readonly base: string;
  readonly label: string;
  readonly sided: boolean;
  /** Side of an unpaired structure, for drawing and for left-sided rules. */
  readonly side?: 'left' | 'right' | 'midline';
  readonly compartment: CompartmentId;
  readonly resectionClass: ResectionClass;
  readonly vesselKind?: 'artery' | 'vein';
  readonly unresectableIfInfiltrated?: boolean;
  readonly majorOrgan?: boolean;
  /** Removed partially rather than whole (muscles, diaphragm). */
  readonly partial?: boolean;
  /** A motor nerve: the functional deficit its sacrifice leaves (REFERENCE-2 §1.6). */
  readonly motorDeficit?: string;
}

export const STRUCTURES: readonly StructureDefinition[] = [
  { base: 'kidney', label: 'kidney', sided: true, compartment: 'perirenal', resectionClass: 'resect-when-contiguous' },
  { base: 'adrenal', label: 'adrenal gland', sided: true, compartment: 'perirenal', resectionClass: 'resect-when-contiguous' },
  { base: 'ureter', label: 'ureter', sided: true, compartment: 'perirenal', resectionClass: 'resect-when-contiguous' },
  { base: 'renal_vein', label: 'renal vein', sided: true, compartment: 'perirenal', resectionClass: 'vessel', vesselKind: 'vein' },
  { base: 'renal_artery', label: 'renal artery', sided: true, compartment: 'perirenal', resectionClass: 'vessel', vesselKind: 'artery' },
  { base: 'gonadal_vessels', label: 'gonadal vessels', sided: true, compartment: 'posterior_wall', resectionClass: 'resect-when-contiguous' },
  { base: 'psoas', label: 'psoas muscle', sided: true, compartment: 'posterior_wall', resectionClass: 'resect-when-contiguous', partial: true },
  { base: 'quadratus_lumborum', label: 'quadratus lumborum', sided: true, compartment: 'posterior_wall', resectionClass: 'resect-when-contiguous', partial: true },
  { base: 'iliacus', label: 'iliacus muscle', sided: true, compartment: 'posterior_wall', resectionClass: 'resect-when-contiguous', partial: true },
  { base: 'diaphragm', label: 'hemidiaphragm', sided: true, compartment: 'posterior_wall', resectionClass: 'resect-when-contiguous', partial: true },
  { base: 'iliac_artery', label: 'iliac artery', sided: true, compartment: 'pelvis', resectionClass: 'vessel', vesselKind: 'artery' },
  { base: 'iliac_vein', label: 'iliac vein', sided: true, compartment: 'pelvis', resectionClass: 'vessel', vesselKind: 'vein' },
  { base: 'femoral_nerve', label: 'femoral nerve', sided: true, compartment: 'posterior_wall', resectionClass: 'preserve-unless-infiltrated', motorDeficit: 'loss of active knee extension (quadriceps) ± weak hip flexion; sensory loss over the anteromedial thigh and medial leg; falls and fractures' },
  { base: 'genitofemoral_nerve', label: 'genitofemoral nerve', sided: true, compartment: 'posterior_wall', resectionClass: 'resect-when-contiguous' },
  { base: 'lumbosacral_plexus', label: 'lumbosacral plexus', sided: true, compartment: 'pelvis', resectionClass: 'preserve-unless-infiltrated', motorDeficit: 'weakness of the hip, knee and foot muscles the sacrificed roots supply, with their sensory loss; gait and falls' },
  { base: 'colon_ascending', label: 'ascending colon', sided: false, side: 'right', compartment: 'anterior_pararenal', resectionClass: 'resect-when-contiguous' },
  { base: 'colon_descending', label: 'descending colon', sided: false, side: 'left', compartment: 'anterior_pararenal', resectionClass: 'resect-when-contiguous' },
  { base: 'colon_transverse', label: 'transverse colon', sided: false, side: 'midline', compartment: 'intraperitoneal', resectionClass: 'resect-when-contiguous' },
  { base: 'colon_sigmoid', label: 'sigmoid colon', sided: false, side: 'left', compartment: 'intraperitoneal', resectionClass: 'resect-when-contiguous' },
  { base: 'duodenum', label: 'duodenum (2nd–4th part)', sided: false, side: 'midline', compartment: 'anterior_pararenal', resectionClass: 'preserve-unless-infiltrated' },
  { base: 'pancreas_head', label: 'pancreatic head', sided: false, side: 'midline', compartment: 'anterior_pararenal', resectionClass: 'preserve-unless-infiltrated', majorOrgan: true },
  { base: 'pancreas_body_tail', label: 'pancreatic body and tail', sided: false, side: 'left', compartment: 'anterior_pararenal', resectionClass: 'resect-when-contiguous-left', majorOrgan: true },
  { base: 'spleen', label: 'spleen', sided: false, side: 'left', compartment: 'intraperitoneal', resectionClass: 'resect-when-contiguous-left' },
  { base: 'liver', label: 'liver', sided: false, side: 'right', compartment: 'intraperitoneal', resectionClass: 'preserve-unless-infiltrated', majorOrgan: true },
  { base: 'stomach', label: 'stomach', sided: false, side: 'left', compartment: 'intraperitoneal', resectionClass: 'preserve-unless-infiltrated' },
  { base: 'small_bowel', label: 'small bowel', sided: false, side: 'midline', compartment: 'intraperitoneal', resectionClass: 'preserve-unless-infiltrated' },
  { base: 'bladder', label: 'urinary bladder', sided: false, side: 'midline', compartment: 'pelvis', resectionClass: 'preserve-unless-infiltrated' },
  { base: 'aorta', label: 'aorta', sided: false, side: 'midline', compartment: 'great_vessels', resectionClass: 'preserve-unless-infiltrated', vesselKind: 'artery', unresectableIfInfiltrated: true, majorOrgan: true },
  { base: 'ivc', label: 'inferior vena cava', sided: false, side: 'right', compartment: 'great_vessels', resectionClass: 'vessel', vesselKind: 'vein', majorOrgan: true },
  { base: 'superior_mesenteric_artery', label: 'superior mesenteric artery', sided: false, side: 'midline', compartment: 'great_vessels', resectionClass: 'preserve-unless-infiltrated', vesselKind: 'artery', unresectableIfInfiltrated: true, majorOrgan: true },
  { base: 'superior_mesenteric_vein', label: 'superior mesenteric vein', sided: false, side: 'midline', compartment: 'great_vessels', resectionClass: 'preserve-unless-infiltrated', vesselKind: 'vein', majorOrgan: true },
  { base: 'portal_vein', label: 'portal vein', sided: false, side: 'midline', compartment: 'great_vessels', resectionClass: 'preserve-unless-infiltrated', vesselKind: 'vein', unresectableIfInfiltrated: true, majorOrgan: true },
  { base: 'celiac_trunk', label: 'coeliac trunk', sided: false, side: 'midline', compartment: 'great_vessels', resectionClass: 'preserve-unless-infiltrated', vesselKind: 'artery', unresectableIfInfiltrated: true, majorOrgan: true },
  { base: 'spine', label: 'spine (vertebrae)', sided: false, side: 'midline', compartment: 'posterior_wall', resectionClass: 'preserve-unless-infiltrated', unresectableIfInfiltrated: true },
];

export interface Organ extends StructureDefinition {
  /** The case-model id: `kidney_left`, `aorta`, … */
  readonly id: string;
  readonly side: 'left' | 'right' | 'midline';
}

function expand(def: StructureDefinition): Organ[] {
  if (!def.sided) return [{ ...def, id: def.base, side: def.side ?? 'midline' }];
  return (['left', 'right'] as const).map((side) => ({
    ...def,
    id: `${def.base}_${side}`,
    label: `${side} ${def.label}`,
    side,
  }));
}

export const ORGANS: readonly Organ[] = STRUCTURES.flatMap(expand);
export const ORGAN_IDS = ORGANS.map((o) => o.id) as [string, ...string[]];
export const ORGANS_BY_ID: ReadonlyMap<string, Organ> = new Map(ORGANS.map((o) => [o.id, o]));

export function organ(id: string): Organ {
  const found = ORGANS_BY_ID.get(id);
  if (!found) throw new Error(`unknown organ id ${id}`);
  return found;
}
