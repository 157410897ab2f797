/**
 * The LCD mirror: the two 16-column lines exactly as the device prints them. The device prints
 * `state.lcd`, which functions compute with the model's formatLcd; before any state the device
 * shows formatLcd of nothing (`IR --` / `Servo  -- deg`), and so does the mirror.
 */
import { formatLcd, type Lcd } from '@firelink/model';
import { lcdCells } from '../logic/format.js';
import { h, setText } from './dom.js';

export function lcdMirror(): { el: HTMLElement; set(lcd: Lcd | undefined): void } {
  const line1 = h('span', { class: 'lcd-line', 'data-line': 1 });
  const line2 = h('span', { class: 'lcd-line', 'data-line': 2 });
  const el = h('div', { class: 'lcd', role: 'group', 'aria-label': 'LCD' }, line1, line2);
  const set = (lcd: Lcd | undefined): void => {
    const shown = lcd ?? formatLcd({ ir: undefined, angle: undefined });
    setText(line1, lcdCells(shown.line1));
    setText(line2, lcdCells(shown.line2));
  };
  set(undefined);
  return { el, set };
}
