/**
 * Shared setup of every component test file (import it first):
 *
 * - **Lit dev-mode warnings fail the test.** `web-test-runner.config.mjs` injects a classic script before any module
 *   that records every Lit warning (`console.warn` with a `lit.dev/msg/` link) except the expected "Lit is in dev mode"
 *   notice; the root `afterEach` hook below fails on any recorded one. It also fails when the recorder is missing (a
 *   config without it) or when Lit is not in dev mode (a build where warnings would be silent, so the check would prove
 *   nothing).
 * - Small helpers: mounting, waiting, shadow-DOM queries by part, an axe check, assertions.
 */
/// <reference types="mocha" />
import 'axe-core';
import type { AxeResults, RunOptions } from 'axe-core';
import { $config } from '../../../components/internal/config.js';
import { setFetchForTesting } from '../../../components/internal/client.js';
import { FakeApi } from './fake-api.js';

declare global {
  interface Window {
    /** Lit warnings recorded by the script web-test-runner.config.mjs injects. */
    __litWarnings?: string[];
    axe: typeof import('axe-core');
  }
  // Set by Lit's development build.
  var litIssuedWarnings: Set<string | undefined> | undefined;
}

if (!Array.isArray(window.__litWarnings)) {
  throw new Error('The Lit warning recorder is missing: run the tests with web-test-runner.config.mjs.');
}

afterEach(function () {
  const warnings = window.__litWarnings!.splice(0);
  if (warnings.length > 0) {
    throw new Error(
      `Lit dev-mode warnings during "${this.currentTest?.fullTitle()}":\n${warnings.join('\n')}`,
    );
  }
});

after(function () {
  if (!globalThis.litIssuedWarnings) {
    throw new Error(
      'Lit is not in dev mode: its warnings would be silent. Resolve the "development" export condition.',
    );
  }
});

// ---- Assertions -------------------------------------------------------------------------------------------------

export class AssertionError extends Error {
  override name = 'AssertionError';
}

export function ok(value: unknown, message = 'expected a truthy value'): asserts value {
  if (!value) throw new AssertionError(message);
}

export function equal<T>(actual: T, expected: T, message?: string): void {
  if (!Object.is(actual, expected)) {
    throw new AssertionError(
      `${message ? `${message}: ` : ''}expected ${show(expected)}, got ${show(actual)}`,
    );
  }
}

export function deepEqual(actual: unknown, expected: unknown, message?: string): void {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new AssertionError(`${message ? `${message}: ` : ''}expected ${e}, got ${a}`);
}

export function match(actual: string | null | undefined, pattern: RegExp, message?: string): void {
  if (typeof actual !== 'string' || !pattern.test(actual)) {
    throw new AssertionError(`${message ? `${message}: ` : ''}expected ${show(actual)} to match ${pattern}`);
  }
}

function show(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

// ---- Mounting and waiting ---------------------------------------------------------------------------------------

const mounted: HTMLElement[] = [];

/** Parses `markup` into a new container in the body; returns the container's first element. */
export function mount<T extends HTMLElement = HTMLElement>(markup: string): T {
  const container = document.createElement('div');
  container.innerHTML = markup;
  document.body.append(container);
  mounted.push(container);
  return container.firstElementChild as T;
}

/** A fresh fake API, wired into the shared client and the plain fetches; page configuration and session reset. */
export function freshApi(options?: ConstructorParameters<typeof FakeApi>[0]): FakeApi {
  const api = new FakeApi(options);
  setFetchForTesting(api.fetch);
  return api;
}

afterEach(() => {
  for (const container of mounted.splice(0)) container.remove();
  $config.set({});
  sessionStorage.clear();
  localStorage.clear();
  setFetchForTesting(undefined);
});

/** Resolves once `check` returns a truthy value (polled every animation frame); fails after `timeout` ms. */
export async function waitFor<T>(
  check: () => T,
  message: string | (() => string) = 'condition',
  timeout = 4000,
): Promise<NonNullable<T>> {
  const start = performance.now();
  for (;;) {
    const value = check();
    if (value) return value as NonNullable<T>;
    if (performance.now() - start > timeout) {
      const what = typeof message === 'function' ? message() : message;
      throw new AssertionError(`timed out after ${timeout} ms waiting for ${what}`);
    }
    await new Promise((resolve) => requestAnimationFrame(() => resolve(undefined)));
  }
}

/** Waits for an element's `state` (or another attribute) to have a value. */
export async function waitForAttribute(
  element: Element,
  name: string,
  value: string,
  timeout?: number,
): Promise<void> {
  await waitFor(
    () => element.getAttribute(name) === value,
    () => `${element.localName}[${name}="${value}"] (is "${element.getAttribute(name)}")`,
    timeout,
  );
}

/** Resolves with the next event of `type` on `target`. */
export function nextEvent<E extends Event>(target: EventTarget, type: string, timeout = 4000): Promise<E> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new AssertionError(`no "${type}" event within ${timeout} ms`)),
      timeout,
    );
    target.addEventListener(
      type,
      (event) => {
        clearTimeout(timer);
        resolve(event as E);
      },
      { once: true },
    );
  });
}

/** Records every event of the given types on `target`. */
export function recordEvents(target: EventTarget, ...types: string[]): Event[] {
  const events: Event[] = [];
  for (const type of types) target.addEventListener(type, (event) => events.push(event));
  return events;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

// ---- Queries through the public surface -------------------------------------------------------------------------

/** Elements of `host`'s shadow root whose `part` attribute contains `name`. */
export function parts(host: Element, name: string): HTMLElement[] {
  return [...(host.shadowRoot?.querySelectorAll<HTMLElement>(`[part~="${name}"]`) ?? [])];
}

/** The first element with part `name`, or undefined. */
export function part(host: Element, name: string): HTMLElement | undefined {
  return parts(host, name)[0];
}

/** The element of `host`'s shadow root with `role`. */
export function byRole(host: Element, role: string): HTMLElement[] {
  return [...(host.shadowRoot?.querySelectorAll<HTMLElement>(`[role="${role}"]`) ?? [])];
}

/** The button of `host`'s shadow root whose text is `label`. */
export function button(host: Element, label: string | RegExp): HTMLButtonElement | undefined {
  const buttons = [...(host.shadowRoot?.querySelectorAll('button') ?? [])];
  return buttons.find((b) =>
    typeof label === 'string' ? b.textContent?.trim() === label : label.test(b.textContent ?? ''),
  );
}

/** Text content with whitespace collapsed. */
export function text(element: Element | undefined): string {
  return (element?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

/** The element focused inside `host`'s shadow root. */
export function focused(host: Element): Element | null {
  return host.shadowRoot?.activeElement ?? null;
}

// ---- Accessibility ------------------------------------------------------------------------------------------------

/** Runs axe-core on `element` (shadow DOM included) and fails on any violation, listing them. */
export async function expectAccessible(element: Element, options: RunOptions = {}): Promise<void> {
  const results: AxeResults = await window.axe.run(element, { resultTypes: ['violations'], ...options });
  if (results.violations.length > 0) {
    const report = results.violations
      .map(
        (v) =>
          `${v.id} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `    ${n.target.join(' ')}: ${n.failureSummary}`).join('\n')}`,
      )
      .join('\n');
    throw new AssertionError(`axe found ${results.violations.length} violation(s):\n${report}`);
  }
}
