/** Country-code validation for orders: ISO 3166-1 alpha-2 plus XK, the language package's list. */
export { isCountryCode } from "@diffuse/language";
