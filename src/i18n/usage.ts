// Bad input in the reader's language: a UsageError whose message comes from the shared catalog.

import { UsageError } from '../config/usage-error.ts';
import type { TextData } from './text.ts';
import { type UiId, uiText } from './ui.ts';

export function usageError(id: UiId, data: TextData = {}): UsageError {
  return new UsageError(uiText(id, data), { id, data });
}
