import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/react';
import { PseudocapsuleTool, SamplingTool } from './MarginTools.tsx';

describe('margin tools', () => {
  it('reproduce the seed’s pseudocapsule example: 0.72, and 0.76 with φ = 0.15', () => {
    render(<PseudocapsuleTool />);
    expect(screen.getByTestId('pc-satellite').textContent).toBe('0.72');
    expect(screen.getByTestId('pc-residual').textContent).toBe('0.76');
    fireEvent.change(screen.getByRole('slider', { name: /Defect fraction/ }), { target: { value: '0' } });
    expect(screen.getByTestId('pc-residual').textContent).toBe('0.72');
    fireEvent.change(screen.getByRole('slider', { name: /Capsule thickness/ }), { target: { value: '6' } });
    expect(screen.getByTestId('pc-residual').textContent).toBe('0.14');
  });

  it('reproduce the seed’s sampling example: 40 blocks miss with 0.67; 299 blocks for 95 %', () => {
    const { container } = render(<SamplingTool />);
    expect(screen.getByTestId('sm-miss').textContent).toBe('0.67');
    expect(screen.getByTestId('sm-needed').textContent).toBe('299');
    expect(container.querySelector('.marker text')?.textContent).toBe('n = 40 → 0.67');
    expect([...container.querySelectorAll('.marker text')].map((t) => t.textContent)).toContain('299 blocks for 95 %');
    fireEvent.change(screen.getByRole('slider', { name: /Involved fraction/ }), { target: { value: '0.05' } });
    expect(screen.getByTestId('sm-needed').textContent).toBe('59');
  });

  it('charts have a text description for screen readers', () => {
    render(<SamplingTool />);
    expect(screen.getByRole('img', { name: /every block misses/ }).querySelector('desc')!.textContent).toMatch(/40 blocks miss with probability 0.67/);
  });
});

describe('margin tools: exact values', () => {
  it('typing n = 290 in the number box sets the blocks sampled without dragging the slider', () => {
    render(<SamplingTool />);
    fireEvent.change(screen.getByRole('spinbutton', { name: /Blocks taken n.*exact value/ }), { target: { value: '290' } });
    expect((screen.getByRole('slider', { name: /Blocks taken n/ }) as HTMLInputElement).value).toBe('290');
  });
});
