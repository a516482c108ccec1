/**
 * Where a person's uploads go: `u/<account id>/…`. The mini-program uploads
 * there; the functions accept in a person's documents only cloud:// files
 * from that folder (cloudfunctions/_core/uploads.ts).
 */
export function uploadFolderOf(accountId: string): string {
  return `u/${accountId}`
}
