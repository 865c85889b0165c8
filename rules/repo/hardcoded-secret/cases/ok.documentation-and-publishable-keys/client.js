// Keys made to be shipped to browsers: public by design.
export const posthogKey = "phc_Rk3Lq8Wv2Nx7Bp4Rt9Ym6HcQ2wE5zT1yU8iO0pAsD";
export const stripe = loadStripe("pk_live_51HqT2aK9vL3mX8pR4tW7zN6Qs");
export const supabaseAnonKey = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6ImFub24iLCJleHAiOjE5ODM4MTI5OTZ9.Hq9wT3vN7kL2mX8pR4wZ6nBe1cH5jD0gA9sU7yK3qW2";
const NEXT_PUBLIC_API_KEY = "Zq7wX9mPl2Rt8vBn4Kd6Hs3Jf5";
