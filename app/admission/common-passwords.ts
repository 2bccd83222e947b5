/**
 * Well-known entries of the public most-common-password lists (breach-derived top
 * lists and the yearly "worst passwords" lists), with the Russian ones and Russian
 * words typed on an English layout. A new password must not be one of these,
 * compared without case. Short entries stay, so the check does not depend on the
 * minimum length.
 */
export const COMMON_PASSWORDS: readonly string[] = [
  "123456", "password", "12345678", "qwerty", "123456789", "12345", "1234", "111111", "1234567", "dragon",
  "123123", "baseball", "abc123", "football", "monkey", "letmein", "696969", "shadow", "master", "666666",
  "qwertyuiop", "123321", "mustang", "1234567890", "michael", "654321", "superman", "1qaz2wsx", "7777777", "121212",
  "000000", "qazwsx", "123qwe", "killer", "trustno1", "jordan", "jennifer", "zxcvbnm", "asdfgh", "hunter",
  "buster", "soccer", "harley", "batman", "andrew", "tigger", "sunshine", "iloveyou", "2000", "charlie",
  "robert", "thomas", "hockey", "ranger", "daniel", "starwars", "klaster", "112233", "george", "computer",
  "michelle", "jessica", "pepper", "1111", "zxcvbn", "555555", "11111111", "131313", "freedom", "777777",
  "pass", "maggie", "159753", "aaaaaa", "ginger", "princess", "joshua", "cheese", "amanda", "summer",
  "love", "ashley", "nicole", "chelsea", "biteme", "matthew", "access", "yankees", "987654321", "dallas",
  "austin", "thunder", "taylor", "matrix", "william", "corvette", "hello", "martin", "heather", "secret",
  "merlin", "diamond", "1234qwer", "gfhjkm", "hammer", "silver", "222222", "88888888", "anthony", "justin",
  "test", "bailey", "q1w2e3r4t5", "patrick", "internet", "scooter", "orange", "11111", "golfer", "cookie",
  "richard", "samantha", "bigdog", "guitar", "jackson", "whatever", "mickey", "chicken", "sparky", "snoopy",
  "maverick", "phoenix", "camaro", "peanut", "morgan", "welcome", "falcon", "cowboy", "ferrari", "samsung",
  "andrea", "smokey", "steelers", "joseph", "mercedes", "dakota", "arsenal", "eagles", "melissa", "boomer",
  "booboo", "spider", "nascar", "monster", "tigers", "yellow", "xxxxxx", "123123123", "gateway", "marina",
  "diablo", "bulldog", "qwer1234", "compaq", "purple", "hardcore", "banana", "junior", "hannah", "123654",
  "porsche", "lakers", "iceman", "money", "cowboys", "987654", "london", "tennis", "999999", "ncc1701",
  "coffee", "scooby", "0000", "miller", "boston", "q1w2e3r4", "brandon", "yamaha", "chester", "mother",
  "forever", "johnny", "edward", "333333", "oliver", "redsox", "player", "nikita", "knight", "fender",
  "barney", "midnight", "please", "brandy", "chicago", "badboy", "slayer", "rangers", "charles", "angel",
  "flower", "rabbit", "wizard", "bigdick", "jasper", "enter", "rachel", "chris", "steven", "winner",
  "adidas", "victoria", "natasha", "1q2w3e4r", "jasmine", "winter", "prince", "panties", "marine", "ghbdtn",
  "fishing", "cocacola", "casper", "james", "232323", "raiders", "888888", "marlboro", "gandalf", "asdfasdf",
  "crystal", "87654321", "12344321", "golden", "8675309", "panther", "lauren", "angela", "thx1138", "angels",
  "madison", "winston", "shannon", "mike", "toyota", "blowjob", "jordan23", "canada", "sophie", "apples",
  "tiger", "dick", "qazwsxedc", "qwerty123", "qwerty1", "password1", "password12", "password123", "password1234", "password12345",
  "passw0rd", "p@ssw0rd", "p@ssword", "pa$$word", "passwort", "motdepasse", "contrasena", "parola", "passwordpassword", "1password",
  "iloveyou1", "iloveyou12", "iloveyou123", "welcome1", "welcome123", "welcome2024", "welcome2025", "welcome2026", "letmein1", "letmein123",
  "admin", "admin123", "admin1234", "administrator", "root", "toor", "changeme", "changeme123", "default", "guest",
  "1234567890a", "a1234567890", "123456789a", "a123456789", "1234567891", "12345678910", "0987654321", "1122334455", "1111111111", "0000000000",
  "2222222222", "5555555555", "7777777777", "9999999999", "1212121212", "1231231231", "1234512345", "1234554321", "9876543210", "1357924680",
  "qwertyuiop1", "qwertyuiop123", "qwerty12345", "qwerty123456", "qwertyqwerty", "qwerty1234", "qwe123qwe", "qweasdzxc", "qweasdzxc123", "1qaz2wsx3edc",
  "zaq12wsx", "zaq1zaq1", "zaq1xsw2cde3", "zaq12wsxcde3", "1q2w3e4r5t", "1q2w3e4r5t6y", "q1w2e3r4t5y6", "1qazxsw2", "asdfghjkl", "asdfghjkl1",
  "asdfghjkl123", "zxcvbnm123", "zxcvbnm1", "zxcvbnmasdfghjkl", "qwertyuiopasdfghjkl", "abcdefghij", "abcdefg123", "abcd1234", "abc12345", "abc1234567",
  "1234abcd", "1234qwerasdf", "123qweasd", "123qweasdzxc", "monkey12345", "dragon12345", "football123", "baseball123", "superman123", "starwars123",
  "sunshine123", "princess123", "shadow12345", "master12345", "michael123", "jennifer123", "charlie123", "trustno1234", "freedom123", "whatever123",
  "computer123", "internet123", "samsung123", "liverpool", "liverpool1", "chelsea123", "manchester", "manutd123", "barcelona", "realmadrid",
  "basketball", "basketball1", "volleyball", "skateboard", "snowboard", "playstation", "playstation2", "nintendo123", "minecraft", "minecraft123",
  "pokemon123", "spiderman", "spiderman1", "batman12345", "harrypotter", "blink182", "metallica", "nirvana123", "slipknot", "eminem123",
  "hellokitty", "butterfly", "chocolate", "sweetheart", "lovelove", "iloveyou2", "babygirl1", "princess1", "beautiful", "sunflower",
  "elephant", "dolphin123", "rainbow123", "blessed123", "jesus12345", "christ123", "godisgood", "trustme123", "letmein12", "opensesame",
  "secret1234", "secret12345", "mypassword", "mypassword1", "yourpassword", "newpassword", "newpassword1", "oldpassword", "thepassword", "password2024",
  "password2025", "password2026", "summer2024", "summer2025", "summer2026", "winter2024", "winter2025", "winter2026", "spring2025", "autumn2025",
  "company123", "company2025", "office1234", "security1", "security123", "cybersecurity", "infosec123", "firewall123", "cloud12345", "server1234",
  "database123", "developer1", "test123456", "testtest123", "testing123", "qwerty12", "123456qwerty", "1234567qwerty", "qwerty7", "qwerty11",
  "ghbdtnghbdtn", "ghbdtn123", "gfhjkm123", "gfhjkmgfhjkm", "qwertyui", "qwertyu", "zxcvbnm12", "ytrewq", "ytrewq123", "ajnjuhfabz",
  "йцукен", "йцукенгшщз", "йцукенгшщзх", "фывапролдж", "ячсмитьбю", "пароль", "пароль123", "парольпароль", "мойпароль", "привет123",
  "любовь", "люблютебя", "люблю123", "солнышко", "наташа", "светлана", "анастасия", "александр", "максим123", "зенит",
  "спартак", "цска123", "москва", "москва123", "россия", "россия123", "kfgjxrf", "cjkysirj", "vfrcbv", "yfnfif",
  "fylhtq", "ktyjxrf", "zxcvbnmzxcvbnm", "1q2w3e4r5t6y7u", "q1w2e3r4t5y6u7", "1qaz2wsx3edc4rfv", "qazwsxedcrfv", "qazxswedc", "1qaz@wsx", "!qaz2wsx",
  "aa123456", "aa12345678", "aaaaaaaaaa", "aaaaaa1234", "abcabcabc", "a1b2c3d4e5", "a1b2c3d4", "1a2b3c4d5e", "q1q1q1q1", "zzzzzzzzzz",
  "11223344", "1234512345a", "12qwaszx", "12qwaszx34", "123456789q", "q123456789", "1234567890q", "qwerty1234567", "princess12", "ashley1234",
] as const;

const lookup = new Set(COMMON_PASSWORDS.map((p) => p.toLowerCase()));

/**
 * Whether a password is one of the common ones. Besides the list itself, a password
 * that is one character repeated, or a common one followed by digits or "!", is common.
 */
export function isCommonPassword(password: string): boolean {
  const normalized = password.trim().toLowerCase();
  if (lookup.has(normalized)) return true;
  if (/^(.)\1*$/u.test(normalized)) return true;
  const stem = normalized.replace(/[0-9!.]+$/u, "");
  return stem.length >= 4 && stem !== normalized && lookup.has(stem);
}
