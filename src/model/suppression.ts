// A suppression: an analyst's decision that alerts of one rule on given field values are known
// noise, with a reason, an owner and an expiry (audited). Suppressed alerts are still stored,
// marked with the suppression's id, but do not create or grow incidents. Types only.

/** The longest a suppression may live: noise decisions must be revisited. */
export const maxSuppressionDays = 365;

export interface Suppression {
  readonly id: string;
  readonly unit: string;
  /** The alert's rule id (Sigma id, correlation id or intel rule id). */
  readonly ruleId: string;
  /**
   * ECS field (dotted path on the alert's event) → value; every pair must hold. Values compare
   * case-insensitively; `*` matches any run of characters. Empty = every alert of the rule.
   */
  readonly match: Readonly<Record<string, string>>;
  readonly reason: string;
  /** Who is answerable for it (the creating caller unless named). */
  readonly owner: string;
  readonly createdAt: number;
  /** Epoch ms; required, at most `maxSuppressionDays` ahead when it was created or last changed. */
  readonly expiresAt: number;
  readonly comment?: string;
  /** Who created it (API key or console user name). */
  readonly createdBy: string;
}

/** A suppression as listed by the API: with the number of alerts it has held back. */
export interface SuppressionListItem extends Suppression {
  readonly hits: number;
  readonly expired: boolean;
  /** The rule's title in the loaded catalogue (absent for intel ids and rules no longer loaded). */
  readonly ruleTitle?: string;
}
