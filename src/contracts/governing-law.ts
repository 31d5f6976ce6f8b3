// The jurisdiction whose law governs a contract.
import type { NewContractClause } from '../db/contracts.js';
import type { ContractDoc } from './document.js';

/** The terms this step fills in. */
export type LawTerms = { governingLaw?: string; clauses: NewContractClause[] };

const US_STATES = ['Alabama', 'Alaska', 'Arizona', 'Arkansas', 'California', 'Colorado', 'Connecticut', 'Delaware',
  'District of Columbia', 'Florida', 'Georgia', 'Hawaii', 'Idaho', 'Illinois', 'Indiana', 'Iowa', 'Kansas', 'Kentucky',
  'Louisiana', 'Maine', 'Maryland', 'Massachusetts', 'Michigan', 'Minnesota', 'Mississippi', 'Missouri', 'Montana',
  'Nebraska', 'Nevada', 'New Hampshire', 'New Jersey', 'New Mexico', 'New York', 'North Carolina', 'North Dakota',
  'Ohio', 'Oklahoma', 'Oregon', 'Pennsylvania', 'Rhode Island', 'South Carolina', 'South Dakota', 'Tennessee', 'Texas',
  'Utah', 'Vermont', 'Virginia', 'Washington', 'West Virginia', 'Wisconsin', 'Wyoming', 'Puerto Rico'];
const OTHER_JURISDICTIONS = ['England and Wales', 'England', 'Wales', 'Scotland', 'Northern Ireland', 'Ontario', 'Quebec',
  'British Columbia', 'Alberta', 'Manitoba', 'Saskatchewan', 'Nova Scotia', 'New Brunswick', 'Newfoundland and Labrador',
  'Prince Edward Island', 'New South Wales', 'Victoria', 'Queensland', 'Western Australia', 'South Australia', 'Tasmania',
  'Hong Kong', 'Macau', 'Bermuda', 'Cayman Islands', 'British Virgin Islands', 'Jersey', 'Guernsey', 'Isle of Man'];
const COUNTRIES = ('Afghanistan|Albania|Algeria|Andorra|Angola|Argentina|Armenia|Australia|Austria|Azerbaijan|Bahamas|' +
  'Bahrain|Bangladesh|Barbados|Belarus|Belgium|Belize|Benin|Bhutan|Bolivia|Bosnia and Herzegovina|Botswana|Brazil|' +
  'Brunei|Bulgaria|Burkina Faso|Burundi|Cambodia|Cameroon|Canada|Cape Verde|Chile|China|Colombia|Costa Rica|Croatia|' +
  'Cuba|Cyprus|Czech Republic|Czechia|Denmark|Dominican Republic|Ecuador|Egypt|El Salvador|Estonia|Ethiopia|Fiji|' +
  'Finland|France|Gabon|Germany|Ghana|Greece|Guatemala|Honduras|Hungary|Iceland|India|Indonesia|Iran|Iraq|Ireland|' +
  'Israel|Italy|Jamaica|Japan|Jordan|Kazakhstan|Kenya|Korea|South Korea|Kuwait|Latvia|Lebanon|Liechtenstein|' +
  'Lithuania|Luxembourg|Malaysia|Malta|Mauritius|Mexico|Moldova|Monaco|Mongolia|Montenegro|Morocco|Mozambique|Namibia|' +
  'Nepal|Netherlands|the Netherlands|New Zealand|Nigeria|North Macedonia|Norway|Oman|Pakistan|Panama|Paraguay|Peru|' +
  "Philippines|Poland|Portugal|Qatar|Romania|Russia|Russian Federation|Rwanda|Saudi Arabia|Senegal|Serbia|Singapore|" +
  'Slovakia|Slovenia|South Africa|Spain|Sri Lanka|Sweden|Switzerland|Taiwan|Tanzania|Thailand|Trinidad and Tobago|' +
  'Tunisia|Turkey|Uganda|Ukraine|United Arab Emirates|United Kingdom|United States of America|United States|Uruguay|' +
  'Uzbekistan|Venezuela|Vietnam|Zambia|Zimbabwe').split('|');
const JURISDICTIONS = [...US_STATES, ...OTHER_JURISDICTIONS, ...COUNTRIES].sort((a, b) => b.length - a.length);

// "governed by German law": the adjective names the jurisdiction.
const DEMONYMS: Readonly<Record<string, string>> = {
  english: 'England', scottish: 'Scotland', welsh: 'Wales', irish: 'Ireland', german: 'Germany', french: 'France',
  swiss: 'Switzerland', dutch: 'Netherlands', belgian: 'Belgium', austrian: 'Austria', italian: 'Italy',
  spanish: 'Spain', portuguese: 'Portugal', swedish: 'Sweden', danish: 'Denmark', norwegian: 'Norway',
  finnish: 'Finland', polish: 'Poland', israeli: 'Israel', japanese: 'Japan', chinese: 'China', indian: 'India',
  singaporean: 'Singapore', canadian: 'Canada', australian: 'Australia', brazilian: 'Brazil', mexican: 'Mexico',
};

/** The jurisdiction named at offset `at` of `f` ("the State of New York", "England and Wales"), if a known one. */
export function jurisdictionAt(f: string, at: number): string | undefined {
  const rest = f
    .slice(at, at + 80)
    .replace(/^\s*(?:the\s+)?(?:(?:state|commonwealth|province|republic|kingdom|federal\s+republic|people's\s+republic|grand\s+duchy|principality|territory|canton|emirate)\s+of\s+)?(?:the\s+)?/i, '');
  for (const name of JURISDICTIONS) {
    if (rest.length < name.length) continue;
    const candidate = rest.slice(0, name.length);
    if (candidate.replace(/\s+/g, ' ').toLowerCase() === name.toLowerCase() && !/^[A-Za-z]/.test(rest.slice(name.length))) {
      return name.replace(/^the /, '');
    }
  }
  return undefined;
}

/** Reads the governing law from a choice-of-law sentence, as a jurisdiction's name. */
export function extractGoverningLaw(doc: ContractDoc, terms: LawTerms): void {
  const f = doc.flat;
  const cue = /\bgoverned\s+(?:by|in\s+accordance\s+with)|\bgoverning\s+law\b|\bconstrued\s+(?:and\s+\w+\s+)?(?:in\s+accordance\s+with|under)|\blaws?\s+of\s+[^.]{0,60}\s+(?:shall|will)\s+(?:govern|apply)|\bsubject\s+to\s+the\s+laws?\s+of/gi;
  for (const m of f.matchAll(cue)) {
    const span = doc.sentence(m.index);
    const sentence = f.slice(span.start, span.end);
    if (!/\bgovern\w*|\bconstrued\b|\bsubject\s+to\s+the\s+laws?\b/i.test(sentence)) continue;
    const adjective = /\bgoverned\s+by\s+(?:the\s+)?([A-Z][a-z]+)\s+law\b/.exec(sentence);
    const demonym = adjective ? DEMONYMS[adjective[1]!.toLowerCase()] : undefined;
    if (adjective && demonym) {
      terms.governingLaw = demonym;
      terms.clauses.push(doc.clause('governing_law', span.start + adjective.index, demonym, span));
      return;
    }
    for (const law of sentence.matchAll(/\blaws?\s+of\b|\bgoverned\s+by\b(?=\s+(?:the\s+)?[A-Z][\w ]{2,40}\s+law\b)/gi)) {
      const name = jurisdictionAt(f, span.start + law.index + law[0].length);
      if (name) {
        terms.governingLaw = name;
        terms.clauses.push(doc.clause('governing_law', span.start + law.index, name, span));
        return;
      }
    }
  }
}
