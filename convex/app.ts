/** The app's name, as the header, every page title and every email show it. Rename the app here. */
export const APP_NAME = 'Cookie Auth';
