/** The attachment slot (and form field) of result documents ("giấy tờ kết quả"). */
export const RESULT_SLOT = "ket-qua";
