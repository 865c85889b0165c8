<?php
return [
    'MONGODB_URI' => 'mongodb+srv://appuser:Tq7Vw2Lm9Xc4Rb8N@cluster0.h3kq9zd.mongodb.net/?retryWrites=true',
];
