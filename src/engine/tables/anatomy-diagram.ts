import { COMPARTMENTS, ORGANS, type CompartmentId, type Organ } from './anatomy.ts';

/**
 * Schematic geometry of the retroperitoneum for the web app's diagram: a frontal
 * view (patient's right on the viewer's left, as on a coronal CT), drawn from the
 * anatomy table so every organ id and every compartment of `anatomy.ts` appears.
 * It is a teaching schematic of the relations the planner reasons about
 * (SEED: compartments of the renal fascia), not a to-scale atlas.
 *
 * Shapes are given once for the patient's right; `_left` twins are mirrored
 * about the midline unless they have their own path (e.g. the left renal vein
 * crossing in front of the aorta).
 */
export const DIAGRAM_WIDTH = 480;
export const DIAGRAM_HEIGHT = 600;
const MID = DIAGRAM_WIDTH / 2;

export type DiagramShape =
  | { readonly kind: 'ellipse'; readonly cx: number; readonly cy: number; readonly rx: number; readonly ry: number }
  /** A filled outline. */
  | { readonly kind: 'area'; readonly points: readonly (readonly [number, number])[] }
  /** A tube (vessel, ureter, nerve, bowel) drawn as a thick stroke along the points. */
  | { readonly kind: 'tube'; readonly points: readonly (readonly [number, number])[]; readonly width: number };

/** What the structure is made of, for its resting colour on the drawing. */
export type Tissue = 'solid' | 'hollow' | 'muscle' | 'bone' | 'nerve' | 'artery' | 'vein' | 'duct';

export interface DiagramOrgan {
  readonly id: string;
  readonly tissue: Tissue;
  /** Short on-drawing label for the landmarks a reader orients by; others are named on hover and in the table. */
  readonly shortLabel?: string;
  readonly label: string;
  readonly compartment: CompartmentId;
  readonly shape: DiagramShape;
  /** Drawing order: higher is drawn later (on top). */
  readonly layer: number;
}

export interface DiagramCompartment {
  readonly id: CompartmentId;
  readonly label: string;
  readonly shapes: readonly DiagramShape[];
}

type Pt = readonly [number, number];
const ellipse = (cx: number, cy: number, rx: number, ry: number): DiagramShape => ({ kind: 'ellipse', cx, cy, rx, ry });
const area = (...points: Pt[]): DiagramShape => ({ kind: 'area', points });
const tube = (width: number, ...points: Pt[]): DiagramShape => ({ kind: 'tube', points, width });

/** Right-sided (or unpaired) geometry by structure base id. */
const BASE_SHAPES: Record<string, DiagramShape> = {
  // posterior abdominal wall
  diaphragm: tube(7, [70, 112], [110, 76], [170, 62], [228, 74]),
  spine: area([228, 150], [252, 150], [254, 440], [226, 440]),
  psoas: area([222, 190], [212, 192], [176, 430], [204, 446], [224, 400]),
  quadratus_lumborum: area([150, 286], [184, 280], [192, 378], [150, 366]),
  iliacus: area([112, 404], [170, 396], [186, 470], [132, 462]),
  femoral_nerve: tube(3, [182, 412], [170, 480], [158, 560]),
  genitofemoral_nerve: tube(3, [214, 286], [206, 380], [198, 470], [204, 560]),
  gonadal_vessels: tube(3, [200, 262], [194, 350], [186, 440], [172, 520]),
  // perirenal space
  kidney: ellipse(154, 222, 27, 46),
  adrenal: area([146, 168], [166, 150], [178, 172], [156, 178]),
  ureter: tube(4, [168, 262], [184, 340], [196, 430], [222, 520]),
  renal_vein: tube(6, [180, 214], [218, 214]),
  renal_artery: tube(4, [180, 230], [246, 230]),
  // great vessels and mesenteric root
  ivc: tube(15, [218, 104], [218, 432]),
  aorta: tube(13, [246, 84], [246, 420]),
  celiac_trunk: tube(5, [250, 156], [272, 146]),
  superior_mesenteric_artery: tube(5, [250, 182], [284, 202], [290, 322]),
  superior_mesenteric_vein: tube(5, [268, 322], [266, 212], [252, 196]),
  portal_vein: tube(6, [252, 196], [228, 176], [196, 150]),
  iliac_artery: tube(7, [244, 418], [214, 470], [190, 520]),
  iliac_vein: tube(8, [218, 430], [196, 480], [174, 532]),
  lumbosacral_plexus: tube(4, [230, 446], [216, 500], [212, 566]),
  // anterior pararenal space
  duodenum: tube(12, [214, 150], [188, 158], [182, 214], [196, 262], [266, 262], [298, 236]),
  pancreas_head: ellipse(218, 212, 22, 30),
  pancreas_body_tail: area([238, 200], [300, 170], [352, 146], [362, 158], [304, 194], [242, 226]),
  colon_ascending: tube(18, [96, 440], [92, 300], [100, 214]),
  colon_descending: tube(18, [384, 214], [392, 330], [388, 440]),
  // intraperitoneal organs
  liver: area([58, 114], [112, 84], [214, 92], [236, 118], [188, 150], [116, 176], [66, 164]),
  stomach: area([272, 104], [318, 96], [346, 120], [336, 150], [294, 152], [276, 132]),
  spleen: ellipse(396, 132, 30, 20),
  small_bowel: ellipse(318, 372, 42, 30),
  colon_transverse: tube(15, [100, 214], [150, 300], [240, 312], [330, 300], [384, 214]),
  colon_sigmoid: tube(15, [388, 440], [362, 500], [304, 488], [272, 528]),
  bladder: ellipse(240, 560, 40, 22),
};

/** Left-sided structures whose course is not a mirror image of the right one. */
const LEFT_OVERRIDES: Record<string, DiagramShape> = {
  // The left renal vein crosses in front of the aorta to reach the IVC.
  renal_vein_left: tube(6, [300, 214], [218, 214]),
  renal_artery_left: tube(4, [300, 230], [246, 230]),
  // The aorta bifurcates left of the midline and the IVC begins right of it.
  iliac_artery_left: tube(7, [248, 418], [280, 470], [300, 520]),
  iliac_vein_left: tube(8, [222, 430], [262, 486], [296, 536]),
};

const TISSUE: Record<string, Tissue> = {
  diaphragm: 'muscle', psoas: 'muscle', quadratus_lumborum: 'muscle', iliacus: 'muscle', spine: 'bone',
  femoral_nerve: 'nerve', genitofemoral_nerve: 'nerve', lumbosacral_plexus: 'nerve', ureter: 'duct',
  duodenum: 'hollow', colon_ascending: 'hollow', colon_descending: 'hollow', colon_transverse: 'hollow',
  colon_sigmoid: 'hollow', small_bowel: 'hollow', stomach: 'hollow', bladder: 'hollow',
};

const SHORT_LABELS: Record<string, string> = {
  liver: 'Liver', spleen: 'Spleen', stomach: 'Stomach', kidney_right: 'Kidney', kidney_left: 'Kidney',
  pancreas_body_tail: 'Pancreas', small_bowel: 'Small bowel', bladder: 'Bladder', aorta: 'Ao', ivc: 'IVC',
  colon_ascending: 'Asc. colon', colon_descending: 'Desc. colon', psoas_right: 'Psoas', psoas_left: 'Psoas',
};

function tissueOf(o: Organ): Tissue {
  if (o.vesselKind) return o.vesselKind;
  if (o.base === 'gonadal_vessels') return 'vein';
  return TISSUE[o.base] ?? 'solid';
}

/** Order in which compartments are drawn: posterior wall first, intraperitoneal organs last. */
const LAYER: Record<CompartmentId, number> = {
  posterior_wall: 1,
  posterior_pararenal: 2,
  perirenal: 3,
  great_vessels: 4,
  anterior_pararenal: 5,
  pelvis: 6,
  intraperitoneal: 7,
};

function mirrorPoint([x, y]: Pt): Pt {
  return [DIAGRAM_WIDTH - x, y];
}

export function mirrorShape(shape: DiagramShape): DiagramShape {
  switch (shape.kind) {
    case 'ellipse':
      return { ...shape, cx: DIAGRAM_WIDTH - shape.cx };
    case 'area':
      return { ...shape, points: shape.points.map(mirrorPoint) };
    case 'tube':
      return { ...shape, points: shape.points.map(mirrorPoint) };
  }
}

function shapeFor(o: Organ): DiagramShape {
  const override = LEFT_OVERRIDES[o.id];
  if (override) return override;
  const base = BASE_SHAPES[o.base];
  if (!base) throw new Error(`anatomy diagram has no shape for ${o.id}`);
  return o.sided && o.side === 'left' ? mirrorShape(base) : base;
}

/** Zones of the compartments, behind the organs (right side; left mirrored). */
const COMPARTMENT_ZONES: Record<CompartmentId, readonly DiagramShape[]> = {
  posterior_wall: [area([70, 120], [232, 120], [232, 460], [100, 470], [70, 400])],
  posterior_pararenal: [ellipse(150, 246, 72, 118)],
  perirenal: [ellipse(160, 232, 46, 94)],
  anterior_pararenal: [area([74, 200], [200, 140], [236, 160], [236, 280], [120, 460], [74, 460])],
  great_vessels: [area([204, 80], [MID, 80], [MID, 440], [204, 440])],
  intraperitoneal: [area([50, 84], [MID, 84], [MID, 160], [110, 190], [50, 180])],
  pelvis: [area([150, 480], [MID, 480], [MID, 590], [160, 590])],
};

function bothSides(shapes: readonly DiagramShape[]): DiagramShape[] {
  return shapes.flatMap((s) => [s, mirrorShape(s)]);
}

/** Drawn area of a shape (px²): large structures are drawn first so a smaller one is never hidden under a larger one. */
export function shapeArea(shape: DiagramShape): number {
  switch (shape.kind) {
    case 'ellipse':
      return Math.PI * shape.rx * shape.ry;
    case 'area': {
      let twice = 0;
      shape.points.forEach(([x, y], i) => {
        const [nx, ny] = shape.points[(i + 1) % shape.points.length]!;
        twice += x * ny - nx * y;
      });
      return Math.abs(twice) / 2;
    }
    case 'tube': {
      let length = 0;
      for (let i = 1; i < shape.points.length; i++) length += Math.hypot(shape.points[i]![0] - shape.points[i - 1]![0], shape.points[i]![1] - shape.points[i - 1]![1]);
      return length * shape.width;
    }
  }
}

/**
 * Thin structures (renal vessels, nerves, ureters) get a hit zone at least this
 * wide around their centre line, so they can be clicked without pixel hunting.
 */
export const MIN_HIT_WIDTH = 14;

/** The drawing: every organ of the anatomy table with its shape, largest first (what is seen on top is what is clicked). */
export const DIAGRAM_ORGANS: readonly DiagramOrgan[] = ORGANS.map((o) => ({
  id: o.id,
  label: o.label,
  tissue: tissueOf(o),
  ...(SHORT_LABELS[o.id] ? { shortLabel: SHORT_LABELS[o.id] } : {}),
  compartment: o.compartment,
  shape: shapeFor(o),
  layer: LAYER[o.compartment],
})).sort((a, b) => shapeArea(b.shape) - shapeArea(a.shape));

/**
 * Keyboard order inside the drawing (arrow keys): compartment by compartment,
 * back to front, then top to bottom and the patient's right before left.
 */
export const DIAGRAM_KEY_ORDER: readonly string[] = [...DIAGRAM_ORGANS]
  .sort((a, b) => a.layer - b.layer || shapeAnchor(a.shape)[1] - shapeAnchor(b.shape)[1] || shapeAnchor(a.shape)[0] - shapeAnchor(b.shape)[0])
  .map((o) => o.id);

/** Where the tumour is drawn for a side of the case model, and its radius for a greatest dimension (schematic scale). */
export function tumourGeometry(side: string | undefined, sizeCm: number | undefined): { cx: number; cy: number; r: number } | null {
  if (side === undefined && sizeCm === undefined) return null;
  // Schematic scale: 4.5 px per cm on the 480-px drawing, bounded so a giant tumour stays on it.
  const r = Math.max(16, Math.min(120, (sizeCm ?? 8) * 4.5));
  const at: Record<string, [number, number]> = { left: [MID + 95, 300], right: [MID - 95, 300], midline: [MID, 300], pelvic: [MID, 490] };
  const [cx, cy] = at[side ?? 'midline'] ?? at.midline!;
  return { cx, cy, r };
}

export const DIAGRAM_COMPARTMENTS: readonly DiagramCompartment[] = (Object.keys(COMPARTMENTS) as CompartmentId[]).map((id) => ({
  id,
  label: COMPARTMENTS[id],
  shapes: bothSides(COMPARTMENT_ZONES[id]),
}));

/** SVG path data for a shape's outline or centre line. */
export function shapePath(shape: DiagramShape): string {
  switch (shape.kind) {
    case 'ellipse': {
      const { cx, cy, rx, ry } = shape;
      return `M${cx - rx},${cy}a${rx},${ry} 0 1,0 ${2 * rx},0a${rx},${ry} 0 1,0 ${-2 * rx},0Z`;
    }
    case 'area':
      return `M${shape.points.map(([x, y]) => `${x},${y}`).join('L')}Z`;
    case 'tube':
      return `M${shape.points.map(([x, y]) => `${x},${y}`).join('L')}`;
  }
}

/** A point on or inside the shape, for labels and tests that click an organ. */
export function shapeAnchor(shape: DiagramShape): Pt {
  switch (shape.kind) {
    case 'ellipse':
      return [shape.cx, shape.cy];
    case 'area': {
      const n = shape.points.length;
      const sum = shape.points.reduce(([ax, ay], [x, y]) => [ax + x, ay + y] as const, [0, 0] as Pt);
      return [sum[0] / n, sum[1] / n];
    }
    case 'tube': {
      const a = shape.points[Math.floor((shape.points.length - 1) / 2)]!;
      const b = shape.points[Math.floor((shape.points.length - 1) / 2) + 1] ?? a;
      return [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
    }
  }
}
