/**
 * The servo gauge: a half dial 0..180° with a needle at the mapped angle. A `meter` named
 * "Servo angle" carries the value for assistive technology (aria-valuenow / aria-valuetext).
 */
import { ANGLE_MAX, ANGLE_MIN } from '@firelink/model';
import { h, setAttr, setText } from './dom.js';

const SVG = 'http://www.w3.org/2000/svg';

function svg(tag: string, attrs: Record<string, string | number>): SVGElement {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
}

/** Needle end point for an angle: 0° points left, 90° up, 180° right (a servo seen from above). */
export function needlePoint(angle: number, cx: number, cy: number, r: number): [number, number] {
  const rad = Math.PI - (Math.min(Math.max(angle, ANGLE_MIN), ANGLE_MAX) / 180) * Math.PI;
  return [Number((cx + r * Math.cos(rad)).toFixed(2)), Number((cy - r * Math.sin(rad)).toFixed(2))];
}

export function servoGauge(): { el: HTMLElement; set(angle: number | undefined): void } {
  const needle = svg('line', { x1: 100, y1: 100, x2: 100, y2: 20, class: 'needle' });
  const dial = svg('svg', { viewBox: '0 0 200 110', width: 200, height: 110, 'aria-hidden': 'true', focusable: 'false' });
  dial.append(
    svg('path', { d: 'M 10 100 A 90 90 0 0 1 190 100', class: 'dial' }),
    svg('circle', { cx: 100, cy: 100, r: 5, class: 'hub' }),
    needle,
  );
  const readout = h('span', { class: 'gauge-value' }, '—');
  const el = h(
    'div',
    { class: 'gauge', role: 'meter', 'aria-label': 'Servo angle', 'aria-valuemin': ANGLE_MIN, 'aria-valuemax': ANGLE_MAX },
    dial as unknown as Node,
    readout,
  );
  return {
    el,
    set(angle) {
      if (angle === undefined) {
        setAttr(el, 'aria-valuenow', null);
        setAttr(el, 'aria-valuetext', 'no angle yet');
        setText(readout, '—');
        needle.setAttribute('visibility', 'hidden');
        return;
      }
      const [x, y] = needlePoint(angle, 100, 100, 80);
      needle.setAttribute('x2', String(x));
      needle.setAttribute('y2', String(y));
      needle.setAttribute('visibility', 'visible');
      setAttr(el, 'aria-valuenow', String(angle));
      setAttr(el, 'aria-valuetext', `${angle} degrees`);
      setText(readout, `${angle}°`);
    },
  };
}
