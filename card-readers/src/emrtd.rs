//! ICAO 9303 electronic passports and ID cards.
