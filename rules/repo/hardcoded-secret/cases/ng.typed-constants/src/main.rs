const API_KEY: &str = "Mx3Nq8Lz5Kw2Pj7Hv4Bc9Rt6Yg1Sd0Fa";
