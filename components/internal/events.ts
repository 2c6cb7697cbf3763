/** The base of every DropSlot event: bubbles and crosses shadow roots, carries a typed `detail`. */
export class DropSlotEvent<T> extends Event {
  readonly detail: T;
  constructor(type: string, detail: T) {
    super(type, { bubbles: true, composed: true });
    this.detail = detail;
  }
}
