// Opens a workbook's bytes as a new workbook in Excel (ExcelApi 1.8 `Excel.createWorkbook`), where the host has it.

/** Base64 of bytes, in chunks (a spread of a whole workbook would overflow the call stack). */
export function toBase64(bytes: ArrayBuffer): string {
  const view = new Uint8Array(bytes);
  let binary = '';
  for (let i = 0; i < view.length; i += 0x8000) binary += String.fromCharCode(...view.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** True when Excel opened it; false where the host cannot (the pane offers a download instead). */
export async function openWorkbookInExcel(bytes: ArrayBuffer): Promise<boolean> {
  if (typeof Excel === 'undefined' || typeof Excel.createWorkbook !== 'function') return false;
  await Excel.createWorkbook(toBase64(bytes));
  return true;
}
