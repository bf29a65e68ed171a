/** The attachment slot (and form field) of documents a citizen adds answering a supplement request ("hồ sơ bổ sung"). */
export const SUPPLEMENT_SLOT = "bo-sung";
