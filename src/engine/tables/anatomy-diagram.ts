import { COMPARTMENT_LAYERS, COMPARTMENTS, ORGANS, type CompartmentId, type Organ } from './anatomy.ts';

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
  /** One of the three fascial spaces of the renal fascia. */
  readonly fascialSpace: boolean;
  /** 0 is the most anterior (COMPARTMENT_LAYERS). */
  readonly depth: number;
  readonly boundary: string;
  readonly shapes: readonly DiagramShape[];
}

type Pt = readonly [number, number];
const ellipse = (cx: number, cy: number, rx: number, ry: number): DiagramShape => ({ kind: 'ellipse', cx, cy, rx, ry });
const area = (...points: Pt[]): DiagramShape => ({ kind: 'area', points });
const tube = (width: number, ...points: Pt[]): DiagramShape => ({ kind: 'tube', points, width });

/**
 * Right-sided (or unpaired) geometry by structure base id, on a 480 × 600 frontal
 * view: diaphragm domes at the top (T10–T11), kidneys at T12–L3 (the right one
 * lower, under the liver), aortic bifurcation at L4 (y ≈ 400), pelvis below the
 * brim (y > 430). The aorta runs just left of the midline, the IVC right of it.
 * Intraperitoneal organs are drawn as outlines only (the retroperitoneum is seen
 * as if they were reflected); retroperitoneal vessels and nerves lie on top.
 */
const BASE_SHAPES: Record<string, DiagramShape> = {
  // posterior abdominal wall
  diaphragm: tube(7, [64, 132], [96, 96], [150, 74], [206, 72], [232, 84]),
  spine: area([226, 126], [254, 126], [256, 420], [224, 420]),
  psoas: area([224, 176], [212, 182], [196, 290], [182, 400], [176, 468], [198, 472], [208, 404], [222, 300], [228, 220]),
  quadratus_lumborum: area([146, 246], [176, 240], [190, 372], [150, 362]),
  iliacus: area([116, 404], [168, 390], [178, 466], [130, 458]),
  femoral_nerve: tube(3, [192, 362], [181, 420], [172, 470], [164, 540]),
  genitofemoral_nerve: tube(3, [215, 300], [206, 380], [198, 450], [196, 530]),
  // the right gonadal vein drains into the IVC
  gonadal_vessels: tube(3, [216, 262], [200, 330], [186, 410], [174, 470], [158, 520]),
  // perirenal space (within Gerota's fascia)
  kidney: ellipse(152, 238, 27, 46),
  adrenal: area([148, 186], [164, 160], [182, 166], [190, 188], [170, 194]),
  ureter: tube(4, [172, 272], [186, 340], [196, 410], [204, 450], [214, 510], [226, 550]),
  renal_vein: tube(6, [176, 224], [214, 218]),
  renal_artery: tube(4, [178, 244], [245, 236]),
  // great vessels and mesenteric root
  ivc: tube(15, [220, 90], [220, 412]),
  aorta: tube(13, [251, 76], [251, 400]),
  celiac_trunk: tube(5, [255, 146], [268, 136], [282, 138]),
  superior_mesenteric_artery: tube(5, [256, 172], [267, 200], [271, 250], [270, 330]),
  superior_mesenteric_vein: tube(5, [248, 330], [250, 250], [245, 206]),
  portal_vein: tube(6, [243, 200], [222, 178], [196, 150]),
  iliac_artery: tube(7, [247, 400], [212, 448], [192, 500], [182, 540]),
  iliac_vein: tube(8, [218, 412], [198, 462], [176, 540]),
  lumbosacral_plexus: tube(4, [232, 432], [222, 482], [212, 560]),
  // anterior pararenal space
  duodenum: tube(12, [238, 160], [198, 164], [184, 200], [186, 250], [204, 276], [262, 278], [282, 250]),
  pancreas_head: ellipse(216, 208, 18, 27),
  pancreas_body_tail: area([236, 194], [300, 170], [356, 144], [372, 154], [306, 196], [242, 218]),
  colon_ascending: tube(18, [104, 452], [98, 320], [106, 206]),
  colon_descending: tube(18, [376, 192], [384, 320], [380, 450]),
  // intraperitoneal organs (outlines)
  liver: area([52, 130], [100, 92], [204, 88], [214, 112], [178, 142], [120, 158], [60, 160]),
  stomach: area([270, 100], [318, 92], [346, 116], [336, 146], [296, 150], [276, 130]),
  spleen: ellipse(396, 134, 28, 19),
  small_bowel: ellipse(304, 376, 34, 26),
  colon_transverse: tube(15, [106, 206], [150, 300], [240, 318], [330, 300], [376, 192]),
  colon_sigmoid: tube(15, [380, 450], [356, 502], [300, 496], [262, 534]),
  bladder: ellipse(240, 568, 36, 20),
};

/** Left-sided structures whose course is not a mirror image of the right one. */
const LEFT_OVERRIDES: Record<string, DiagramShape> = {
  // The left kidney lies higher than the right (the liver pushes the right one down).
  kidney_left: ellipse(328, 228, 27, 46),
  adrenal_left: area([332, 180], [314, 158], [296, 168], [292, 196], [308, 200]),
  ureter_left: tube(4, [308, 262], [294, 340], [284, 410], [276, 450], [266, 510], [254, 550]),
  // The left renal vein crosses in front of the aorta, below the SMA, to reach the IVC.
  renal_vein_left: tube(6, [304, 218], [251, 218], [222, 218]),
  renal_artery_left: tube(4, [302, 238], [257, 236]),
  // The left gonadal vein drains into the left renal vein.
  gonadal_vessels_left: tube(3, [292, 222], [290, 300], [296, 410], [306, 470], [322, 520]),
  // The aorta bifurcates left of the midline and the IVC begins right of it: the left common
  // iliac vein passes behind the right common iliac artery.
  iliac_artery_left: tube(7, [255, 400], [284, 450], [296, 500], [302, 540]),
  iliac_vein_left: tube(8, [222, 412], [256, 436], [286, 470], [304, 540]),
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

/**
 * Zones of the compartments, behind the organs. `right` is mirrored for the left
 * unless `left` is given; `midline` zones are drawn once. The perirenal zone is
 * the cone of Gerota's fascia around kidney, adrenal and proximal ureter, open
 * below; the posterior pararenal space shows as the flank rim outside it; the
 * anterior pararenal space holds the colon, duodenum and pancreas (SEED).
 */
const COMPARTMENT_ZONES: Record<CompartmentId, { readonly right?: readonly DiagramShape[]; readonly left?: readonly DiagramShape[]; readonly midline?: readonly DiagramShape[] }> = {
  intraperitoneal: { midline: [area([40, 120], [120, 70], [240, 58], [360, 70], [440, 120], [452, 430], [240, 452], [28, 430])] },
  posterior_wall: { right: [area([140, 380], [214, 172], [236, 172], [236, 476], [110, 478], [108, 400])] },
  posterior_pararenal: { right: [ellipse(134, 272, 70, 140)] },
  perirenal: {
    right: [area([118, 184], [146, 150], [192, 156], [206, 200], [200, 290], [186, 352], [168, 384], [148, 350], [118, 290], [110, 230])],
    left: [area([362, 176], [334, 142], [288, 150], [274, 194], [280, 282], [294, 346], [312, 376], [332, 342], [362, 282], [370, 222])],
  },
  pelvis: { midline: [area([126, 432], [354, 432], [384, 500], [334, 592], [146, 592], [96, 500])] },
  great_vessels: { midline: [area([204, 76], [268, 76], [268, 420], [204, 420])] },
  anterior_pararenal: {
    right: [area([84, 204], [120, 186], [196, 148], [236, 152], [236, 290], [208, 292], [186, 304], [128, 462], [84, 462])],
    left: [area([396, 190], [382, 146], [346, 136], [284, 160], [244, 176], [244, 290], [272, 292], [294, 304], [352, 462], [396, 462])],
  },
};

/**
 * Zones drawn back to front (deepest layer first, COMPARTMENT_LAYERS); the body
 * outline (intraperitoneal) underneath everything and the anterior pararenal
 * space, translucent, last.
 */
const ZONE_ORDER: readonly CompartmentId[] = ['intraperitoneal', ...(Object.keys(COMPARTMENT_LAYERS) as CompartmentId[])
  .filter((id) => id !== 'intraperitoneal')
  .sort((a, b) => COMPARTMENT_LAYERS[b].depth - COMPARTMENT_LAYERS[a].depth || (a === 'anterior_pararenal' ? 1 : 0) - (b === 'anterior_pararenal' ? 1 : 0))];

function zoneShapes(id: CompartmentId, side: 'left' | 'right' | 'both'): DiagramShape[] {
  const z = COMPARTMENT_ZONES[id];
  const right = z.right ?? [];
  const left = z.left ?? right.map(mirrorShape);
  return [...(z.midline ?? []), ...(side !== 'left' ? right : []), ...(side !== 'right' ? left : [])];
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

/** Where the tumour's centre sits in each compartment, for the patient's right (x mirrored for the left). */
const TUMOUR_CENTRE: Record<CompartmentId, readonly [number, number]> = {
  perirenal: [152, 250],
  anterior_pararenal: [150, 310],
  posterior_pararenal: [110, 280],
  posterior_wall: [196, 360],
  great_vessels: [MID, 280],
  intraperitoneal: [150, 300],
  pelvis: [MID, 505],
};
const SIDE_CENTRE: Record<string, readonly [number, number]> = { left: [MID + 95, 300], right: [MID - 95, 300], midline: [MID, 300], pelvic: [MID, 505] };

/**
 * Where the tumour is drawn: in the engine's primary compartment on the recorded
 * side when both are known, else at the side; its radius follows the greatest
 * dimension (schematic scale).
 */
export function tumourGeometry(side: string | undefined, sizeCm: number | undefined, compartment?: CompartmentId | null): { cx: number; cy: number; r: number } | null {
  if (side === undefined && sizeCm === undefined) return null;
  // Schematic scale: 4.5 px per cm on the 480-px drawing, bounded so a giant tumour stays on it.
  const r = Math.max(16, Math.min(120, (sizeCm ?? 8) * 4.5));
  let [cx, cy] = SIDE_CENTRE[side ?? 'midline'] ?? SIDE_CENTRE.midline!;
  if (compartment && (side === 'left' || side === 'right')) {
    const [x, y] = TUMOUR_CENTRE[compartment];
    [cx, cy] = [side === 'left' ? DIAGRAM_WIDTH - x : x, y];
  } else if (compartment === 'pelvis' || compartment === 'great_vessels') {
    [cx, cy] = TUMOUR_CENTRE[compartment];
  }
  return { cx, cy, r };
}

/**
 * The tumour's compartment as drawn: the engine's primary compartment
 * (`resectionPlan.compartment.primary`) on the recorded side, or the pelvis for a
 * pelvic tumour. Null when neither is known.
 */
export function tumourCompartment(side: string | undefined, compartment: CompartmentId | null | undefined): { readonly id: CompartmentId; readonly side: 'left' | 'right' | 'both'; readonly shapes: readonly DiagramShape[] } | null {
  const id = compartment ?? (side === 'pelvic' ? 'pelvis' : null);
  if (!id) return null;
  const drawnSide = side === 'left' || side === 'right' ? side : 'both';
  return { id, side: drawnSide, shapes: zoneShapes(id, drawnSide) };
}

/** Compartments back to front (the drawing's order), from the anatomy table's layers. */
export const DIAGRAM_COMPARTMENTS: readonly DiagramCompartment[] = (Object.keys(COMPARTMENTS) as CompartmentId[])
  .sort((a, b) => ZONE_ORDER.indexOf(a) - ZONE_ORDER.indexOf(b))
  .map((id) => ({ id, label: COMPARTMENTS[id], fascialSpace: COMPARTMENT_LAYERS[id].fascialSpace, depth: COMPARTMENT_LAYERS[id].depth, boundary: COMPARTMENT_LAYERS[id].boundary, shapes: zoneShapes(id, 'both') }));

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
