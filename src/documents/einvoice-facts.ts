// What the consent dialog shows of an e-invoice (TT 78/2021 XML): template, series and number,
// date, seller and tax code, buyer, total. Missing fields stay undefined; nothing is guessed.
import { selectPath } from './xml-profiles.js';

export interface InvoiceFacts {
  templateCode?: string;
  series?: string;
  number?: string;
  date?: string;
  currency?: string;
  seller: { name?: string; taxCode?: string };
  buyer: { name?: string; taxCode?: string };
  total?: string;
}

function text(doc: Document, path: string): string | undefined {
  const found = selectPath(doc, path);
  const t = found.length === 1 ? found[0].textContent?.trim() : undefined;
  return t ? t : undefined;
}

export function invoiceFacts(doc: Document): InvoiceFacts {
  const base = '//HDon/DLHDon';
  return {
    templateCode: text(doc, `${base}/TTChung/KHMSHDon`),
    series: text(doc, `${base}/TTChung/KHHDon`),
    number: text(doc, `${base}/TTChung/SHDon`),
    date: text(doc, `${base}/TTChung/NLap`),
    currency: text(doc, `${base}/TTChung/DVTTe`),
    seller: { name: text(doc, `${base}/NDHDon/NBan/Ten`), taxCode: text(doc, `${base}/NDHDon/NBan/MST`) },
    buyer: { name: text(doc, `${base}/NDHDon/NMua/Ten`) ?? text(doc, `${base}/NDHDon/NMua/HVTNMHang`), taxCode: text(doc, `${base}/NDHDon/NMua/MST`) },
    total: text(doc, `${base}/NDHDon/TToan/TgTTTBSo`),
  };
}
