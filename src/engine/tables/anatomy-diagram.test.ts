import { describe, it, test } from 'node:test';
import assert from 'node:assert/strict';
import { COMPARTMENTS, ORGANS } from './anatomy.ts';
import {
  DIAGRAM_COMPARTMENTS,
  DIAGRAM_KEY_ORDER,
  DIAGRAM_HEIGHT,
  DIAGRAM_ORGANS,
  DIAGRAM_WIDTH,
  mirrorShape,
  shapeAnchor,
  shapeArea,
  shapePath,
  tumourCompartment,
  tumourGeometry,
  type DiagramShape,
} from './anatomy-diagram.ts';

function shapeOf(id: string): DiagramShape {
  return DIAGRAM_ORGANS.find((o) => o.id === id)!.shape;
}

function points(shape: DiagramShape): (readonly [number, number])[] {
  if (shape.kind === 'ellipse') {
    return [
      [shape.cx - shape.rx, shape.cy - shape.ry],
      [shape.cx + shape.rx, shape.cy + shape.ry],
    ];
  }
  return [...shape.points];
}

test('every organ of the anatomy table is drawn exactly once, with its label and compartment', () => {
  assert.deepEqual(DIAGRAM_ORGANS.map((o) => o.id).sort(), ORGANS.map((o) => o.id).sort());
  for (const o of ORGANS) {
    const drawn = DIAGRAM_ORGANS.find((d) => d.id === o.id)!;
    assert.equal(drawn.label, o.label);
    assert.equal(drawn.compartment, o.compartment);
  }
});

test('every compartment of the anatomy table has a zone on the drawing', () => {
  assert.deepEqual(DIAGRAM_COMPARTMENTS.map((c) => c.id).sort(), Object.keys(COMPARTMENTS).sort());
  for (const c of DIAGRAM_COMPARTMENTS) assert.ok(c.shapes.length > 0, c.id);
});

test('every shape lies inside the drawing', () => {
  const all = [...DIAGRAM_ORGANS.map((o) => o.shape), ...DIAGRAM_COMPARTMENTS.flatMap((c) => c.shapes)];
  for (const shape of all) {
    for (const [x, y] of points(shape)) {
      assert.ok(x >= 0 && x <= DIAGRAM_WIDTH && y >= 0 && y <= DIAGRAM_HEIGHT, `${shapePath(shape)} leaves the drawing`);
    }
  }
});

test("the patient's left is drawn on the viewer's right, as on a coronal CT", () => {
  for (const o of ORGANS) {
    if (o.side === 'midline') continue;
    const [x] = shapeAnchor(DIAGRAM_ORGANS.find((d) => d.id === o.id)!.shape);
    if (o.side === 'left') assert.ok(x > DIAGRAM_WIDTH / 2 - 30, `${o.id} at x=${x}`);
    else assert.ok(x < DIAGRAM_WIDTH / 2 + 30, `${o.id} at x=${x}`);
  }
});

test('sided twins are distinct shapes, and mirroring twice is the identity', () => {
  const psoasL = DIAGRAM_ORGANS.find((o) => o.id === 'psoas_left')!.shape;
  const psoasR = DIAGRAM_ORGANS.find((o) => o.id === 'psoas_right')!.shape;
  assert.deepEqual(mirrorShape(psoasR), psoasL);
  assert.notDeepEqual(psoasL, psoasR);
  for (const o of DIAGRAM_ORGANS.filter((d) => d.id.endsWith('_left'))) assert.notDeepEqual(o.shape, shapeOf(o.id.replace(/_left$/, '_right')), o.id);
  for (const o of DIAGRAM_ORGANS) assert.deepEqual(mirrorShape(mirrorShape(o.shape)), o.shape);
});

test('larger shapes are drawn first, so no structure lies hidden under a larger one', () => {
  const areas = DIAGRAM_ORGANS.map((o) => shapeArea(o.shape));
  assert.deepEqual(areas, [...areas].sort((a, b) => b - a));
  // Hand-checked extremes: the spine and the liver outline are the largest, a renal artery among the smallest.
  assert.deepEqual(DIAGRAM_ORGANS.slice(0, 2).map((o) => o.id).sort(), ['liver', 'spine']);
  assert.ok(DIAGRAM_ORGANS.slice(-12).some((o) => o.id.startsWith('renal_artery')));
});

test('the keyboard order visits every structure once', () => {
  assert.deepEqual([...DIAGRAM_KEY_ORDER].sort(), DIAGRAM_ORGANS.map((o) => o.id).sort());
});

/** x-extent of a shape (tubes widened by their stroke). */
function xRange(shape: DiagramShape): [number, number] {
  const xs = points(shape).map(([x]) => x);
  const half = shape.kind === 'tube' ? shape.width / 2 : 0;
  return [Math.min(...xs) - half, Math.max(...xs) + half];
}
function yRange(shape: DiagramShape): [number, number] {
  const ys = points(shape).map(([, y]) => y);
  return [Math.min(...ys), Math.max(...ys)];
}
const drawnIndex = (id: string) => DIAGRAM_ORGANS.findIndex((o) => o.id === id);

describe('relations a sarcoma surgeon checks on the drawing (hand-written anatomy)', () => {
  it('the IVC lies right of the aorta (viewer’s left), the aorta just left of the midline', () => {
    assert.ok(xRange(shapeOf('ivc'))[1] < xRange(shapeOf('aorta'))[0]);
    assert.ok(shapeAnchor(shapeOf('aorta'))[0] > DIAGRAM_WIDTH / 2);
    assert.ok(shapeAnchor(shapeOf('ivc'))[0] < DIAGRAM_WIDTH / 2);
  });

  it('the left renal vein crosses in front of the aorta (drawn over it) to reach the IVC; the right one is short', () => {
    const [from, to] = xRange(shapeOf('renal_vein_left'));
    const aorta = xRange(shapeOf('aorta'));
    assert.ok(from < aorta[0] && to > aorta[1], 'spans the aorta');
    assert.ok(from <= xRange(shapeOf('ivc'))[1], 'reaches the IVC');
    assert.ok(drawnIndex('renal_vein_left') > drawnIndex('aorta'), 'drawn on top of the aorta');
    const right = xRange(shapeOf('renal_vein_right'));
    assert.ok(right[1] - right[0] < to - from);
  });

  it('the right kidney lies lower than the left; each adrenal sits on its kidney’s upper pole', () => {
    assert.ok(shapeAnchor(shapeOf('kidney_right'))[1] > shapeAnchor(shapeOf('kidney_left'))[1]);
    for (const side of ['left', 'right']) {
      const kidney = yRange(shapeOf(`kidney_${side}`));
      const adrenal = yRange(shapeOf(`adrenal_${side}`));
      assert.ok(adrenal[0] < kidney[0] && adrenal[1] > kidney[0] - 12, side);
    }
  });

  it('the aorta divides into the iliac arteries below the kidneys, the IVC begins from the iliac veins', () => {
    const aortaEnd = yRange(shapeOf('aorta'))[1];
    assert.ok(aortaEnd > yRange(shapeOf('kidney_right'))[1]);
    for (const side of ['left', 'right']) {
      assert.ok(Math.abs(yRange(shapeOf(`iliac_artery_${side}`))[0] - aortaEnd) < 4, side);
      assert.ok(Math.abs(yRange(shapeOf(`iliac_vein_${side}`))[0] - yRange(shapeOf('ivc'))[1]) < 4, side);
    }
  });
});

describe('the tumour and its compartment', () => {
  it('a left perirenal tumour is drawn over the left kidney; a pelvic one in the pelvis', () => {
    const left = tumourGeometry('left', 10, 'perirenal')!;
    const [kx, ky] = shapeAnchor(shapeOf('kidney_left'));
    assert.ok(Math.hypot(left.cx - kx, left.cy - ky) < 30);
    assert.equal(left.r, 45);
    const pelvic = tumourGeometry('pelvic', 6, null)!;
    assert.ok(pelvic.cy > 430 && Math.abs(pelvic.cx - DIAGRAM_WIDTH / 2) < 1);
    assert.equal(tumourGeometry(undefined, undefined), null);
  });

  it('the compartment is outlined on the tumour’s side only, the pelvis for a pelvic tumour, nothing when unknown', () => {
    const left = tumourCompartment('left', 'perirenal')!;
    assert.equal(left.side, 'left');
    for (const s of left.shapes) assert.ok(xRange(s)[0] > DIAGRAM_WIDTH / 2, 'left space on the viewer’s right');
    const right = tumourCompartment('right', 'anterior_pararenal')!;
    for (const s of right.shapes) assert.ok(xRange(s)[1] <= DIAGRAM_WIDTH / 2, 'right space on the viewer’s left');
    assert.equal(tumourCompartment('pelvic', null)!.id, 'pelvis');
    assert.equal(tumourCompartment('left', null), null);
    assert.equal(tumourCompartment(undefined, undefined), null);
  });

  it('the three fascial spaces are marked as such, front to back, with what bounds them', () => {
    const spaces = DIAGRAM_COMPARTMENTS.filter((c) => c.fascialSpace).map((c) => c.id).sort();
    assert.deepEqual(spaces, ['anterior_pararenal', 'perirenal', 'posterior_pararenal']);
    assert.match(DIAGRAM_COMPARTMENTS.find((c) => c.id === 'perirenal')!.boundary, /Gerota/);
  });
});
