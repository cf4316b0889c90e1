import { test } from 'node:test';
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
  type DiagramShape,
} from './anatomy-diagram.ts';

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
  const kidneyL = DIAGRAM_ORGANS.find((o) => o.id === 'kidney_left')!.shape;
  const kidneyR = DIAGRAM_ORGANS.find((o) => o.id === 'kidney_right')!.shape;
  assert.deepEqual(mirrorShape(kidneyR), kidneyL);
  assert.notDeepEqual(kidneyL, kidneyR);
  for (const o of DIAGRAM_ORGANS) assert.deepEqual(mirrorShape(mirrorShape(o.shape)), o.shape);
});

test('larger shapes are drawn first, so no structure lies hidden under a larger one', () => {
  const areas = DIAGRAM_ORGANS.map((o) => shapeArea(o.shape));
  assert.deepEqual(areas, [...areas].sort((a, b) => b - a));
  // Hand-checked extremes: the liver outline is the largest, a renal artery among the smallest.
  assert.equal(DIAGRAM_ORGANS[0]!.id, 'liver');
  assert.ok(DIAGRAM_ORGANS.slice(-12).some((o) => o.id.startsWith('renal_artery')));
});

test('the keyboard order visits every structure once', () => {
  assert.deepEqual([...DIAGRAM_KEY_ORDER].sort(), DIAGRAM_ORGANS.map((o) => o.id).sort());
});
