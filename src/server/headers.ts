// Headers every Engine API response carries.
import { API_VERSION, BERTH_VERSION } from '../api/version.js';

export const COMMON_HEADERS = {
  'Api-Version': API_VERSION,
  'Docker-Experimental': 'false',
  Ostype: 'linux',
  Server: `berth/${BERTH_VERSION} (linux)`,
};
