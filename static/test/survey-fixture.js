/** A form definition as the server sends it (SURVEY contract), shaped like the haze survey. */
const L = (th, en) => ({ th, en });

export const HAZE = {
  form_key: 'haze_test',
  version: '1',
  title: L('สำรวจไฟป่า', 'Haze survey'),
  default_language: 'th',
  questions: [
    { name: 'kind', type: 'select_one', label: L('พบอะไร', 'What was found'), required: true,
      choices: [{ name: 'burn_spot', label: L('จุดเผา', 'Burn spot') }, { name: 'smoke', label: L('ควัน', 'Smoke') }],
      concern: { category: 'haze', when: ['burn_spot'] } },
    { name: 'area_rai', type: 'decimal', label: L('พื้นที่ (ไร่)', 'Area (rai)'), relevant: "${kind} = 'burn_spot'",
      constraint: '. > 0 and . <= 10000', constraint_message: L('พื้นที่ต้องมากกว่า 0 และไม่เกิน 10000 ไร่', 'Area must be over 0 and at most 10000 rai') },
    { name: 'area_sqm', type: 'calculate', calculation: '${area_rai} * 1600' },
    { name: 'details', type: 'group', label: L('รายละเอียด', 'Details'), relevant: "${kind} != ''", children: [
      { name: 'distance_m', type: 'integer', label: L('ระยะห่าง (ม.)', 'Distance (m)'), default: '100' },
      { name: 'causes', type: 'select_multiple', label: L('สาเหตุ', 'Causes'),
        choices: [{ name: 'farming', label: L('เกษตร', 'Farming') }, { name: 'hunting', label: L('ล่าสัตว์', 'Hunting') }] },
      { name: 'found_on', type: 'date', label: L('วันที่พบ', 'Found on'), default: 'today()' },
    ] },
    { name: 'note1', type: 'note', label: L('ถ่ายรูป', 'Take a photo') },
    { name: 'photo', type: 'image', label: L('รูป', 'Photo') },
    { name: 'where', type: 'geopoint', label: L('ตำแหน่ง', 'Position') },
  ],
};
