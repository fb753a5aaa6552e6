// Bulk selections of the thread list: ranges in the order shown, and "everything the filter
// matches" without listing it.
import { describe, expect, it } from 'vitest';
import { EMPTY_SELECTION, extendTo, isSelected, selectAll, selectedCount, toggle } from './selection.ts';

describe('selection', () => {
  const order = ['a', 'b', 'c', 'd', 'e'];
  it('toggles ids and extends ranges from the last toggled row, in the order shown', () => {
    let s = toggle(EMPTY_SELECTION, 'b');
    s = extendTo(s, order, 'd');
    expect(order.filter((id) => isSelected(s, id))).toEqual(['b', 'c', 'd']);
    s = toggle(s, 'c');
    expect(selectedCount(s, null)).toBe(2);
  });

  it('selects everything the filter matches, minus exclusions, without listing it', () => {
    let s = selectAll();
    expect(selectedCount(s, 12_345)).toBe(12_345);
    s = toggle(s, 'x');
    expect(isSelected(s, 'x')).toBe(false);
    expect(isSelected(s, 'never-seen')).toBe(true);
    expect(selectedCount(s, 12_345)).toBe(12_344);
  });
});
