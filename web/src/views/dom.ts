/**
 * A few DOM helpers instead of a UI library: the views are small, and the one hot path (the fleet
 * table) patches text nodes by hand anyway, which no virtual DOM would do faster.
 */
type Attrs = Record<string, string | number | boolean | undefined | ((event: Event) => void)>;
type Child = Node | string | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (typeof value === 'function') el.addEventListener(name.replace(/^on/, ''), value);
    else if (value === true) el.setAttribute(name, '');
    else el.setAttribute(name, String(value));
  }
  append(el, ...children);
  return el;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  }
}

/** Sets text only when it differs: no layout work for an unchanged value. */
export function setText(el: Element | Text, text: string): void {
  if (el.textContent !== text) el.textContent = text;
}

export function setAttr(el: Element, name: string, value: string | null): void {
  if (value === null) {
    if (el.hasAttribute(name)) el.removeAttribute(name);
  } else if (el.getAttribute(name) !== value) el.setAttribute(name, value);
}

export function clear(el: Element): void {
  el.replaceChildren();
}

let nextId = 0;
/** A unique element id, for label/aria-describedby pairs. */
export function uid(prefix: string): string {
  nextId += 1;
  return `${prefix}-${nextId}`;
}

/** A labelled form field with a place for its error (aria-describedby + aria-invalid). */
export function field(label: string, input: HTMLInputElement | HTMLSelectElement, hint?: string): { wrap: HTMLElement; setError(message: string | undefined): void } {
  const id = input.id || uid('f');
  input.id = id;
  const errorId = `${id}-error`;
  const hintId = hint ? `${id}-hint` : undefined;
  const error = h('p', { id: errorId, class: 'field-error', hidden: true });
  input.setAttribute('aria-describedby', [hintId, errorId].filter(Boolean).join(' '));
  const wrap = h('div', { class: 'field' }, h('label', { for: id }, label), input, hint ? h('p', { id: hintId, class: 'hint' }, hint) : null, error);
  return {
    wrap,
    setError(message) {
      error.hidden = !message;
      setText(error, message ?? '');
      setAttr(input, 'aria-invalid', message ? 'true' : null);
    },
  };
}

/** Disposers collected by a view, run when it unmounts. */
export class Disposer {
  private readonly fns: Array<() => void> = [];
  add(fn: () => void): void {
    this.fns.push(fn);
  }
  dispose(): void {
    for (const fn of this.fns.splice(0).reverse()) fn();
  }
}
