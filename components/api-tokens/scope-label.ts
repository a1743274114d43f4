// A token scope's message key: "project:read:all" → "apiTokens.scope.project_read_all" (message
// keys hold no colons).
export function scopeLabelKey(permission: string): string {
  return `scope.${permission.replaceAll(":", "_")}`;
}
