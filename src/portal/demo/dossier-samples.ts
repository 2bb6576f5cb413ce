// What the demo's "Nộp hồ sơ" step signs when the user brings no file of their own: a dossier
// PDF (an application form, two pages, Vietnamese text in the bundled font) and an e-invoice
// XML shaped like NĐ 123/2020 (HDon/DLHDon with an Id, DSCKS/NBan for the seller's signature),
// both made for the signed-in account.
import { randomUUID } from 'node:crypto';
import fontkit from '@cantoo/fontkit';
import { PDFDocument, rgb } from '@cantoo/pdf-lib';
import { signatureFont } from '../../documents/pdf-appearance.js';
import type { Account } from './accounts.js';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const today = () => new Date().toLocaleDateString('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' });

export async function sampleDossierPdf(account: Account): Promise<Buffer> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.registerFontkit(fontkit);
  const font = await doc.embedFont(signatureFont(), { subset: true });
  const lines = [
    ['CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 14], ['Độc lập - Tự do - Hạnh phúc', 12], ['', 12],
    ['ĐƠN ĐỀ NGHỊ CẤP GIẤY PHÉP (hồ sơ thử nghiệm)', 15], ['', 12],
    [`Người nộp: ${account.name}`, 12], [`Mã định danh: ${account.idNumber ?? '—'}`, 12], [`Ngày lập: ${today()}`, 12],
    ['Hồ sơ gồm đơn đề nghị và bản kê khai kèm theo.', 12],
  ] as const;
  const page = doc.addPage([595, 842]);
  let y = 780;
  for (const [text, size] of lines) {
    page.drawText(text, { x: 60, y, size, font, color: rgb(0, 0, 0) });
    y -= size * 1.8;
  }
  doc.addPage([595, 842]).drawText('Bản kê khai kèm theo — trang 2', { x: 60, y: 780, size: 12, font });
  return Buffer.from(await doc.save({ useObjectStreams: false }));
}

export function sampleInvoiceXml(account: Account): Buffer {
  const seller = esc(account.name);
  const mst = esc(account.idNumber ?? '');
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<HDon>
  <DLHDon Id="DLHDon-${randomUUID()}">
    <TTChung>
      <PBan>2.0.0</PBan>
      <THDon>Hóa đơn giá trị gia tăng</THDon>
      <KHMSHDon>1</KHMSHDon>
      <KHHDon>C25TDM</KHHDon>
      <SHDon>${1000 + Math.floor(Math.random() * 9000)}</SHDon>
      <NLap>${today()}</NLap>
      <DVTTe>VND</DVTTe>
      <TGia>1</TGia>
      <HTTToan>TM/CK</HTTToan>
    </TTChung>
    <NDHDon>
      <NBan>
        <Ten>${seller}</Ten>
        <MST>${mst}</MST>
        <DChi>Thị xã Hương Thủy, Thừa Thiên Huế</DChi>
      </NBan>
      <NMua>
        <Ten>Công ty Cổ phần Khách Hàng &amp; Đối Tác</Ten>
        <MST>0109876543</MST>
        <DChi>Quận Ba Đình, Hà Nội</DChi>
      </NMua>
      <DSHHDVu>
        <HHDVu>
          <STT>1</STT>
          <THHDVu>Dịch vụ tư vấn hồ sơ</THHDVu>
          <DVTinh>Gói</DVTinh>
          <SLuong>1</SLuong>
          <DGia>5000000</DGia>
          <ThTien>5000000</ThTien>
          <TSuat>10%</TSuat>
        </HHDVu>
      </DSHHDVu>
      <TToan>
        <TgTCThue>5000000</TgTCThue>
        <TgTThue>500000</TgTThue>
        <TgTTTBSo>5500000</TgTTTBSo>
        <TgTTTBChu>Năm triệu năm trăm nghìn đồng chẵn</TgTTTBChu>
      </TToan>
    </NDHDon>
  </DLHDon>
  <DSCKS>
    <NBan/>
    <NMua/>
  </DSCKS>
</HDon>
`;
  return Buffer.from(xml, 'utf8');
}
