<?php
// Importing users whose passwords were hashed elsewhere.
$users = [
    ['password' => '$argon2i$v=19$m=20,t=3,p=2$YXBwd3JpdGU$A/54i238ed09ZR4NwlACU5XnkjNBZU9QeOEuhjLiexI'],
    ['password' => '$6$rounds=5000$usesomesillystri$D4IrlXatmP7rx3P3InaxBeoomnAihCKRVQP22JZ6EY47Wc6BkroIuUUBOov1i.S5KPgErtP/EN5mcO.ChWQW21'],
    ['password' => 'pbkdf2_sha256$600000$Xk9mQ2vL7pR4$3fQ9vT7kL2mX8pR4wZ6nBe1cH5jD0gA9sU7yK3qW2eE='],
    ['password' => '$P$Br387rwferoKN7uwHZqNMu98q3U8RO.'],
    ['passwordSalt' => 'UxLMreBr6tYyjQ=='],
];
