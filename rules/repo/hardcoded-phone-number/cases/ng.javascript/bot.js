const axios = require("axios");

const SIGNAL_SENDER = "+491701234567";

module.exports = { SIGNAL_SENDER };
