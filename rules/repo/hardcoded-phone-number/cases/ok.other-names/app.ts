export const offset = "+12345678";
export const version = "+123456789";
export const accountNumber = "+12";
export const phoneFormat = "+1 (555) 010-0200";
